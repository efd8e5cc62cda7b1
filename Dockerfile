# tmlint in a container: a Debian 12 build stage that runs the same two
# scripts .ci/run proves (tools/install-deps.sh, tools/build-release.sh),
# and a slim runtime that installs only the .deb and what it depends on.
#   docker build -t tmlint:0.1.0 .
#   docker run --rm -v "$PWD:/src" tmlint:0.1.0 check .
FROM debian:12 AS build
WORKDIR /build
COPY . .
RUN sh tools/install-deps.sh build && sh tools/build-release.sh /dist

FROM debian:12-slim
COPY --from=build /dist/ /tmp/dist/
# apt resolves the .deb's Depends (libyaml, PCRE2, Lua 5.4, expat, libgit2)
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/dist/tmlint_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/dist \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin tmlint \
 && printf '[safe]\n\tdirectory = /src\n' >/etc/gitconfig
# the mounted checkout belongs to the host's user, not to uid 10001: git's
# ownership check (which libgit2 follows) would refuse it and the history
# rules go quiet; /src is the one directory this image is for, so it is
# marked safe in the system's git configuration, as actions/checkout does
USER tmlint
WORKDIR /src
ENTRYPOINT ["tmlint"]
CMD ["check", "."]
