#pragma once

#include <QDateTime>
#include <QString>
#include <QUrl>

// What a grant needs a person to do before it can finish: open the authorization URL in a
// browser (authorization code), or enter a code at a verification page (device grant). The
// caller shows it — the GUI in the Authorize dialog, the CLI on stderr — and the grant goes on
// by itself once the person is done; the TokenFetch's cancel() gives up.
struct GrantInteraction
{
    enum class Kind { OpenBrowser, EnterCode };

    Kind kind = Kind::OpenBrowser;
    QUrl url;         // the authorization URL, or the verification URI the user code is typed at
    QUrl completeUrl; // RFC 8628 verification_uri_complete (the code already in it); may be empty
    QString userCode; // RFC 8628 user_code
    QDateTime expiresAt; // UTC; when the code or the wait runs out, invalid when unknown
};

