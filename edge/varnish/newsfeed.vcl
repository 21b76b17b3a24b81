# NewsFeed behind Varnish 7 with the xkey vmod (Debian: apt-get install varnish varnish-modules).
# docs/edge.md explains the set-up; in short, NewsFeed runs with
#   Edge:MaxAge=1.00:00:00  Edge:Purgers:0:Type=Varnish  Edge:Purgers:0:Urls:0=http://127.0.0.1:6081/
# and this file is Varnish's VCL:  varnishd -a :6081 -f /path/to/newsfeed.vcl -s malloc,256m
# NewsFeed tags every feed, archive and headline list with the keys it depends on (xkey response header) and
# sends PURGE with an xkey-purge header for exactly the keys a committed write changed, so Varnish can keep
# feeds for a day (Surrogate-Control) and still show every change at the next request.
vcl 4.1;

import std;
import xkey;

# The NewsFeed origin. Edit host and port (the reliability suite writes its own here). /healthz answers 200
# while the process runs; when it stops answering, Varnish serves what it holds (see vcl_recv, req.grace).
backend newsfeed {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the NewsFeed instances (add their addresses). Never the open internet.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header"));
        }
        # A hard purge: the next request fetches the change. (xkey.softpurge would serve the old copy once more.)
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    set req.backend_hint = newsfeed;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Only what NewsFeed tags is cached; the admin and publishing APIs, the home page and the rest pass through.
    if (req.url !~ "^/(feeds/|api/headlines|embed/headlines|feed\.xsl)") {
        return (pass);
    }
    # A browser navigating to an RSS or Atom feed gets its HTML view, which is private: not cached here.
    # NewsFeed decides by Sec-Fetch-Dest (or Upgrade-Insecure-Requests without it) and varies on both;
    # everyone else's request is made to look alike, so each feed is one object, not one per header spelling.
    if (req.http.Sec-Fetch-Dest) {
        if (req.http.Sec-Fetch-Dest ~ "(?i)^document$") {
            return (pass);
        }
    } elsif (req.http.Upgrade-Insecure-Requests == "1") {
        return (pass);
    }
    unset req.http.Sec-Fetch-Dest;
    unset req.http.Upgrade-Insecure-Requests;
    # Feeds use no cookies or credentials; a browser's cookies must not make every poll a miss.
    unset req.http.Cookie;
    if (req.http.Authorization) {
        return (pass);
    }
    # Grace: while the origin is healthy an expired object is served for at most a minute (Feeds:StaleWhileRevalidate's
    # default) while it is fetched again; when the origin is down, for the object's whole grace (stale-if-error).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    # The edge lifetime (Edge:MaxAge) comes in Surrogate-Control; Cache-Control stays for browsers and readers.
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1") + "s", beresp.ttl);
    }
    # stale-if-error (RFC 5861): how long an expired copy may stand in for an origin that is down.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", beresp.grace);
    }
    # Keep: an object past its grace is still asked for with If-None-Match, and a 304 renews it.
    set beresp.keep = 1d;
    # An origin error on a background refresh keeps the copy held, instead of replacing it with the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.status >= 500) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # An error NewsFeed did not tag (a feed or an archive month that does not exist yet) is not kept: no purge would
    # reach it, and the first story of a new section or month must show at the next request.
    if (beresp.status >= 400 && !beresp.http.xkey) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    unset beresp.http.Surrogate-Control;
    # Vary (Accept-Encoding; Sec-Fetch-Dest and Upgrade-Insecure-Requests on feeds) is honoured as sent: Varnish
    # keeps gzip bodies and serves identity to clients without gzip, and vcl_recv normalised the other two.
    return (deliver);
}

sub vcl_deliver {
    # The keys and the edge lifetime are for this cache, not for browsers or another CDN in front of it.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    unset resp.http.CDN-Cache-Control;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
