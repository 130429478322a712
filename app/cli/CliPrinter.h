#pragma once

#include "http/ApiCallResult.h"
#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"
#include "workspace/Environment.h"

#include <QJsonObject>
#include <QString>
#include <QTextStream>

// Renders core values for a terminal or as JSON. Tokens are shown only when asked.
class CliPrinter
{
public:
    CliPrinter();

    void setJson(bool json) { m_json = json; }
    bool json() const { return m_json; }

    QTextStream &out() { return m_out; }
    QTextStream &err() { return m_err; }

    void environmentList(const QList<Environment> &environments);
    void environment(const Environment &environment);
    void token(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken);
    void error(const OAuthError &error);
    // A problem that is not an OAuth error (usage, workspace, keychain): one line, or {"error":…} in JSON mode.
    void failure(const QString &kind, const QString &message);
    void message(const QString &text);
    // What `send` did: in text, the body on stdout (with --include the status line and headers
    // first) and notes and the readout of a denial on stderr; in JSON, one object with all of it.
    void apiCall(const Environment &environment, const ApiCallResult &result, bool include, bool verbose);
    // Bytes to stdout as they are (a response body is not text to re-encode).
    void writeRaw(const QByteArray &bytes);

    static QJsonObject tokenJson(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken);
    static QJsonObject errorJson(const OAuthError &error);
    // Never holds a credential: Authorization values are masked, the token's value is not in the result.
    static QJsonObject apiCallJson(const Environment &environment, const ApiCallResult &result);
    static QString formatTime(const QDateTime &utc);
    static QString formatDuration(qint64 seconds);

private:
    void printJson(const QJsonObject &object);

    bool m_json = false;
    QTextStream m_out;
    QTextStream m_err;
};
