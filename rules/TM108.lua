-- A flow's label that names a protocol or what it carries.
local SAYS_HOW = re.compile("\\b(?:https?|tls|ssl|mtls|ssh|s?ftps?|grpc|kerberos|ldaps?|smtps?|imaps?|amqps?|mqtts?|jdbc|"
  .. "odbc|sql|wss?|websockets?|rest|soap|oauth2?|saml|oidc|openid|dns|tcp|udp|ipsec|vpn|rpc|graphql|kafka|nfs|smb|"
  .. "rdp|snmp|syslog|basic auth)\\b|\\bdata\\s*:", "i")

return {
  id = "TM108",
  name = "vague-flow",
  level = "note",
  meta = { "1.3.1" },
  summary = "A data flow says nothing about what crosses it or how",
  help = [[
Fires on a data flow that has no `data` (what crosses it), no `protocol`
(how) and no `description`. Its name alone does not count: "calls" or
"sync" says that something moves, not what; a name that says how (a
protocol: `https`, `kerberos`, `gRPC`) or what (`data: PII`) does, as
Threat Dragon users label their flows.

Why it matters: threats on a flow depend on what it carries and how. A
flow of session tokens over plain HTTP and one of public images over TLS
call for very different answers, and a flow that says neither cannot be
judged at all: the model is too abstract to find its threats.

How to fix it: list what crosses the flow under `data:` (the data assets
or kinds of data) and give its `protocol:`; a `description:` may say the
rest.

Meta threat: 1.3.1 (representation too coarse).]],
  message = "flow {label} names no data, protocol or description",
  settings = {},
  needs = { "flow_details" },   -- a format whose flows have no such fields is not asked to
  run = function(model, report)
    for _, f in ipairs(model.flows) do
      if #f.data == 0 and tm.blank(f.protocol) and tm.blank(f.description)
         and not (type(f.name) == "string" and re.test(f.name, SAYS_HOW)) then
        report(f, { label = tm.label(f) })
      end
    end
  end,
}
