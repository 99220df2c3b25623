# Varnish 7 (Debian's package) in front of gunicorn: the production cache of the platform.
#
#   nginx (TLS, static and media files)  ->  Varnish :6081  ->  gunicorn :8000
#
# What may be cached is the application's decision (sites/http_cache.py): it sends
# "Cache-Control: public, max-age=0, s-maxage=N" for anonymous visitors and marks every
# personal response private. Every change purges at once (sites/frontend_cache.py): the
# application sends BAN requests naming the tags of what changed; every stored response
# carries its tags in X-Cache-Tags (stripped before delivery). PURGE removes one URL (of
# every scheme) for Wagtail's URL-based purges. Both only from the addresses in "purgers".
#
# Start: varnishd -a 127.0.0.1:6081 -f /etc/varnish/selbsthilfe.vcl -s malloc,512m
# and set FRONTEND_CACHE_URL=http://127.0.0.1:6081 for the application.
vcl 4.1;

import std;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

# Who may purge: the application servers (add their addresses when they run elsewhere).
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # One entry per site and path, whatever port or case the Host header had: the
    # application purges by the site's hostname alone.
    if (req.http.Host) {
        set req.http.Host = std.tolower(regsub(req.http.Host, ":[0-9]+$", ""));
    }

    # The TLS proxy (platform/nginx.conf) is on localhost too: a request it forwards
    # carries X-Real-IP and may never purge.
    if ((req.method == "BAN" || req.method == "PURGE") && req.http.X-Real-IP) {
        return (synth(403, "Forbidden"));
    }
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Tags are [a-z0-9-] joined by "|"; anything else is refused, never evaluated.
        if (req.http.X-Ban-Tags !~ "^[a-z0-9-]+(\|[a-z0-9-]+)*$") {
            return (synth(400, "Bad X-Ban-Tags"));
        }
        # Lurker-friendly (only obj.* fields): old entries are removed in the background.
        ban("obj.http.X-Cache-Tags ~ (^|,)(" + req.http.X-Ban-Tags + ")(,|$)");
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.url !~ "^/[^ ]*$") {
            return (synth(400, "Bad URL"));
        }
        ban("obj.http.X-Cache-Host == " + req.http.Host + " && obj.http.X-Cache-Url == " + req.url);
        return (synth(200, "Purged"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.url ~ "^/admin(/|$)") {
        return (pass);
    }
    # A session (logged-in editors) or a pending message belongs to one visitor.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Any other cookie (the CSRF cookie, a language cookie) changes no shared page: the
    # application marks a response that uses one as private, and such a response is not
    # stored; the visitor then simply gets a fresh CSRF cookie with the form.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.Host);
    # http and https answers differ (the redirect to https).
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    # For bans by URL, on the stored object (lurker-friendly).
    set beresp.http.X-Cache-Host = bereq.http.Host;
    set beresp.http.X-Cache-Url = bereq.url;
    # Only what the application declared public is stored; everything else is passed
    # through (and remembered as uncacheable for a short while, so requests do not queue).
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "(^|,|\s)public(,|$|\s)"
        || beresp.http.Cache-Control ~ "private|no-store|no-cache") {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    if (beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 30s;
        return (deliver);
    }
    # A page may be served a few seconds past its s-maxage while a fresh copy is fetched;
    # a banned page never (bans remove it outright).
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Cache-Tags;
    unset resp.http.X-Cache-Host;
    unset resp.http.X-Cache-Url;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason;
    return (deliver);
}
