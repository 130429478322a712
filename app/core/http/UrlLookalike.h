#pragma once

#include <QString>

#include <optional>

// A request's URL field holds an absolute URL (with "://") or a path appended to the API base.
// Text that looks like a URL whose "://" went missing would become a path nobody meant
// (https://api/base/http//host/x); this names the URL it probably was, so the caller can say so
// instead of sending it. The rule, case-insensitive, for text without "://":
//   - it starts with "http:" or "https:" (any slashes after the colon but two), or with "http//"
//     or "https//": the scheme's "://" was mistyped;
//   - or it starts with localhost, an IPv4 address, a bracketed IPv6 address, or host:port, and
//     that is followed by "/", "?", "#" or nothing: a host was given without a scheme.
// "me", "/me", "accounts/7", "v1.2/items" and "{{base}}/x" are paths.
class UrlLookalike
{
public:
    // The URL it probably meant ("http://host/x"), or nullopt when it is an ordinary path.
    static std::optional<QString> intendedUrl(const QString &pathOrUrl);
};
