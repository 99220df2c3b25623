/* Reads iCalendar files with libical (the library of Evolution and GNOME) and prints, as
 * JSON, what libical's validator says about each file and every occurrence of every
 * VEVENT that starts inside a window.
 *
 *   libical_expand <window start, unix time> <window end, unix time> <file.ics>...
 *
 * Errors are the X-LIC-ERROR properties libical's parser and its RFC 5545/5546
 * restriction check (icalrestriction_check) attach to the components. Occurrences are
 * expanded with libical's recurrence iterator (see expand()), TZIDs resolved against the
 * file's own VTIMEZONE. Timed values are printed as UTC instants, all-day values as dates.
 * Output format as icaljs_expand.mjs.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void json_string(const char *text)
{
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)(text ? text : ""); *c; c++) {
        if (*c == '"' || *c == '\\') {
            printf("\\%c", *c);
        } else if (*c < 0x20) {
            printf("\\u%04x", *c);
        } else {
            putchar(*c);
        }
    }
    putchar('"');
}

static char *read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        return NULL;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *buffer = malloc(size + 1);
    size_t got = fread(buffer, 1, size, file);
    buffer[got] = '\0';
    fclose(file);
    return buffer;
}

static int first_error;

static void print_errors(icalcomponent *comp)
{
    for (icalproperty *prop = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY);
         prop; prop = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
        char message[1024];
        snprintf(message, sizeof message, "%s: %s",
                 icalcomponent_kind_to_string(icalcomponent_isa(comp)),
                 icalproperty_get_xlicerror(prop));
        printf("%s", first_error ? "" : ",");
        first_error = 0;
        json_string(message);
    }
    for (icalcomponent *inner = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT);
         inner; inner = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)) {
        print_errors(inner);
    }
}

struct window {
    time_t lo, hi;
    int first;
};

static void show(time_t moment, int all_day)
{
    char text[32];
    struct tm parts;
    gmtime_r(&moment, &parts);
    strftime(text, sizeof text, all_day ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &parts);
    json_string(text);
}

/* A DATE-TIME property as an instant, its TZID looked up in the file's VTIMEZONE (as
 * Evolution does); an all-day DATE as UTC midnight of the day (only the day counts). */
static time_t instant(struct icaltimetype time)
{
    if (time.is_date) {
        return icaltime_as_timet_with_zone(time, icaltimezone_get_utc_timezone());
    }
    return icaltime_as_timet_with_zone(time, time.zone);
}

static icalcomponent *calendar;
static int unknown_tzids;

/* A DATE or DATE-TIME property's value with its TZID resolved against the VTIMEZONE of the
 * file (as a calendar application does with a subscribed file), never libical's built-in
 * zone database: a wrong VTIMEZONE must show up as wrong instants. */
static struct icaltimetype property_time(icalproperty *prop)
{
    struct icaltimetype time;
    icalvalue *value = icalproperty_get_value(prop);
    if (icalvalue_isa(value) == ICAL_DATETIMEPERIOD_VALUE) {
        time = icalvalue_get_datetimeperiod(value).time;
    } else {
        time = icalvalue_get_datetime(value);
    }
    icalparameter *tzid = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    if (tzid && !time.is_date) {
        icaltimezone *zone = icalcomponent_get_timezone(calendar, icalparameter_get_tzid(tzid));
        if (!zone) {
            unknown_tzids++;
        }
        time.zone = zone;
    }
    return time;
}

static time_t property_instant(icalproperty *prop, icalcomponent *event)
{
    (void)event;
    return instant(property_time(prop));
}

#define MAX_DATES 1000

/* The instants of every EXDATE or RDATE of an event, collected up front: libical keeps one
 * property cursor per component, so lookups inside a loop over properties would reset it. */
static int collect(icalcomponent *event, icalproperty_kind kind, time_t *found)
{
    icalproperty *props[MAX_DATES];
    int count = 0;
    for (icalproperty *prop = icalcomponent_get_first_property(event, kind);
         prop && count < MAX_DATES; prop = icalcomponent_get_next_property(event, kind)) {
        props[count++] = prop;
    }
    for (int i = 0; i < count; i++) {
        found[i] = property_instant(props[i], event);
    }
    return count;
}

static time_t exdates[MAX_DATES];
static int exdate_count;

static int excluded(icalcomponent *event, time_t start)
{
    (void)event;
    for (int i = 0; i < exdate_count; i++) {
        if (exdates[i] == start) {
            return 1;
        }
    }
    return 0;
}

static void emit(struct window *window, icalcomponent *event, time_t start, time_t length,
                 int all_day)
{
    if (start < window->lo || start >= window->hi || excluded(event, start)) {
        return;
    }
    printf("%s[", window->first ? "" : ",");
    window->first = 0;
    json_string(icalcomponent_get_uid(event));
    putchar(',');
    show(start, all_day);
    putchar(',');
    show(start + length, all_day);
    putchar(']');
}

/* Expands one VEVENT the way evolution-data-server does on top of libical: DTSTART,
 * then the RRULE through libical's recurrence iterator (in DTSTART's time zone), then
 * each RDATE, minus EXDATEs. Not icalcomponent_foreach_recurrence: libical 3.0 reads RDATE
 * values there without their TZID (as UTC), which no calendar application does. */
static void expand(struct window *window, icalcomponent *event)
{
    icalproperty *dtstart_prop = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icalproperty *dtend_prop = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY);
    if (!dtstart_prop) {
        return;
    }
    struct icaltimetype dtstart = property_time(dtstart_prop);
    int all_day = dtstart.is_date;
    time_t first = instant(dtstart);
    time_t length = dtend_prop ? property_instant(dtend_prop, event) - first : 0;
    time_t rdates[MAX_DATES];
    int rdate_count = collect(event, ICAL_RDATE_PROPERTY, rdates);
    exdate_count = collect(event, ICAL_EXDATE_PROPERTY, exdates);
    icalproperty *rrule = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY);
    if (rrule) {
        icalrecur_iterator *it = icalrecur_iterator_new(icalproperty_get_rrule(rrule), dtstart);
        struct icaltimetype next;
        while (it && !icaltime_is_null_time(next = icalrecur_iterator_next(it))) {
            next.zone = dtstart.zone;
            time_t start = instant(next);
            if (start >= window->hi) {
                break;
            }
            emit(window, event, start, length, all_day);
        }
        if (it) {
            icalrecur_iterator_free(it);
        }
    } else {
        emit(window, event, first, length, all_day);
    }
    for (int i = 0; i < rdate_count; i++) {
        emit(window, event, rdates[i], length, all_day);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <lo> <hi> <file.ics>...\n", argv[0]);
        return 2;
    }
    struct window window = {atol(argv[1]), atol(argv[2]), 1};
    printf("{\"tool\":\"libical\",\"version\":");
    json_string(ICAL_VERSION);
    printf(",\"files\":[");
    for (int i = 3; i < argc; i++) {
        printf("%s{\"path\":", i == 3 ? "" : ",");
        json_string(argv[i]);
        printf(",\"errors\":[");
        char *text = read_file(argv[i]);
        icalcomponent *root = text ? icalparser_parse_string(text) : NULL;
        first_error = 1;
        if (!root) {
            json_string("parse: no calendar");
            printf("],\"occurrences\":[]}");
            free(text);
            continue;
        }
        icalrestriction_check(root);
        print_errors(root);
        calendar = root;
        unknown_tzids = 0;
        printf("],\"occurrences\":[");
        window.first = 1;
        for (icalcomponent *event = icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
             event; event = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
            expand(&window, event);
        }
        if (unknown_tzids) {
            printf("],\"unknown_tzids\":%d", unknown_tzids);
        } else {
            putchar(']');
        }
        printf("}");
        icalcomponent_free(root);
        free(text);
    }
    printf("]}\n");
    return 0;
}
