/* The baseline: a bare libyaml event parse of a file, doing nothing with
 * the events. tmlint's time is compared against this. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: parse FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    unsigned long events = 0;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            fprintf(stderr, "parse error: %s\n", p.problem ? p.problem : "?");
            return 1;
        }
        int done = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        events++;
        if (done)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    printf("%lu events\n", events);
    return 0;
}
