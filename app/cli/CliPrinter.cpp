#include "CliPrinter.h"

#include "http/ClientCertificate.h"
#include "jwt/CertificateBinding.h"
#include "http/TokenScopes.h"
#include "TerminalSink.h"
#include "http/ResponseLimit.h"
#include "json/JsonSyntax.h"
#include "util/TerminalText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {
QString scopeSourceName(AccessToken::ScopeSource source)
{
    switch (source) {
    case AccessToken::ScopeSource::Response: return u"response"_s;
    case AccessToken::ScopeSource::JwtClaim: return u"jwt"_s;
    case AccessToken::ScopeSource::NotReported: return u"not_reported"_s;
    }
    return {};
}

QString expirySourceName(AccessToken::ExpirySource source)
{
    switch (source) {
    case AccessToken::ExpirySource::ExpiresIn: return u"expires_in"_s;
    case AccessToken::ExpirySource::JwtExp: return u"jwt_exp"_s;
    case AccessToken::ExpirySource::Unknown: return u"unknown"_s;
    }
    return {};
}

QString jwtKindName(JwtView::Kind kind)
{
    switch (kind) {
    case JwtView::Kind::Jwt: return u"jwt"_s;
    case JwtView::Kind::Opaque: return u"opaque"_s;
    case JwtView::Kind::Malformed: return u"malformed"_s;
    }
    return {};
}

// Extra response fields that are themselves credentials (id_token, …) are never printed in clear.
QJsonObject maskedExtraFields(const QJsonObject &fields, bool showToken)
{
    QJsonObject shown;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        const bool sensitive = it.key().contains(u"token"_s, Qt::CaseInsensitive) || it.key().contains(u"secret"_s, Qt::CaseInsensitive);
        shown.insert(it.key(), sensitive && !showToken ? QJsonValue(u"••••"_s) : it.value());
    }
    return shown;
}

QString indentJson(const QJsonObject &object, const QString &indent)
{
    QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed();
    text.replace(u'\n', u'\n' + indent);
    return text;
}
} // namespace

CliPrinter::CliPrinter()
    : m_stdoutIsTerminal(stdoutIsTerminal())
    , m_outSink(std::make_unique<TerminalSink>(stdout))
    , m_errSink(std::make_unique<TerminalSink>(stderr))
    , m_out(m_outSink.get())
    , m_err(m_errSink.get())
{
}

CliPrinter::~CliPrinter()
{
    m_out.flush();
    m_err.flush();
}

QString CliPrinter::formatTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    return u"%1 %2 (%3 UTC)"_s.arg(local.toString(u"yyyy-MM-dd HH:mm:ss"_s), local.timeZoneAbbreviation(),
                                    utc.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s));
}

QString CliPrinter::formatDuration(qint64 seconds)
{
    const bool past = seconds < 0;
    qint64 s = past ? -seconds : seconds;
    const qint64 days = s / 86400;
    s %= 86400;
    const qint64 hours = s / 3600;
    s %= 3600;
    const qint64 minutes = s / 60;
    s %= 60;
    QString text;
    if (days > 0)
        text = u"%1d %2h %3m"_s.arg(days).arg(hours).arg(minutes);
    else if (hours > 0)
        text = u"%1h %2m %3s"_s.arg(hours).arg(minutes).arg(s);
    else if (minutes > 0)
        text = u"%1m %2s"_s.arg(minutes).arg(s);
    else
        text = u"%1s"_s.arg(s);
    return past ? u"expired %1 ago"_s.arg(text) : u"in %1"_s.arg(text);
}

QString CliPrinter::jsonText(const QJsonObject &object)
{
    // QJsonDocument escapes C0 ("\u001b") but writes DEL and C1 (0x9B is CSI) as they are. They
    // can only be inside strings, so escaping them too keeps every value exact and the output
    // free of anything a terminal acts on.
    QString text = QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
    for (qsizetype i = text.size() - 1; i >= 0; --i) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x7f && c <= 0x9f)
            text.replace(i, 1, u"\\u%1"_s.arg(int(c), 4, 16, QChar(u'0')));
    }
    return text;
}

void CliPrinter::printJson(const QJsonObject &object)
{
    m_out << jsonText(object);
    m_out.flush();
}

void CliPrinter::printJson(const QJsonObject &object, const LargeJsonBody &large)
{
    if (!large.isSet()) {
        printJson(object);
        return;
    }
    m_out.flush();
    // Nothing in it a terminal acts on: the envelope is escaped as above, the body by large.
    large.write(stdout, jsonText(object).toUtf8());
}

void CliPrinter::message(const QString &text)
{
    if (m_json)
        printJson({{u"message"_s, text}});
    else
        m_out << text << Qt::endl;
}

void CliPrinter::failure(const QString &kind, const QString &unmasked)
{
    const QString message = m_known ? m_known->mask(unmasked) : unmasked;
    if (m_json) {
        QJsonObject json{{u"error"_s, QJsonObject{{u"kind"_s, kind}, {u"message"_s, message}}}};
        if (m_statusInFailures)
            json.insert(u"status"_s, QJsonValue::Null);
        printJson(json);
        return;
    }
    m_err << "tokenbench-cli: " << message << Qt::endl;
}

void CliPrinter::environmentList(const QList<Environment> &environments)
{
    if (m_json) {
        QJsonArray list;
        for (const auto &env : environments)
            list.append(env.toJson());
        printJson({{u"environments"_s, list}});
        return;
    }
    if (environments.isEmpty()) {
        m_out << "No environments. Add one with: tokenbench-cli env add NAME --token-url URL --api-url URL --client-id ID" << Qt::endl;
        return;
    }
    for (const auto &env : environments) {
        const QString tokenUrl = env.isBuiltinDemo() ? u"(built-in Demo API)"_s : env.tokenUrl.toString();
        m_out << qSetFieldWidth(20) << Qt::left << env.name << qSetFieldWidth(12) << Environment::tierName(env.tier)
              << qSetFieldWidth(0) << tokenUrl << Qt::endl;
    }
}

void CliPrinter::environment(const Environment &env)
{
    if (m_json) {
        printJson(env.toJson());
        return;
    }
    const auto row = [this](const QString &label, const QString &value) {
        m_out << qSetFieldWidth(16) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Name"_s, env.name);
    row(u"Tier"_s, Environment::tierName(env.tier));
    // The Demo's endpoints and client are the running server's (a new port each start), never stored.
    const bool demo = env.isBuiltinDemo();
    const QString provided = u"(the Demo API's)"_s;
    if (demo)
        row(u"Server"_s, u"built-in Demo API (started on demand)"_s);
    row(u"Token URL"_s, demo ? provided : env.tokenUrl.toString());
    row(u"API base URL"_s, demo ? provided : env.apiBaseUrl.toString());
    row(u"Grant"_s, Environment::grantName(env.grant));
    row(u"Client auth"_s, Environment::clientAuthName(env.clientAuth));
    row(u"Client ID"_s, demo && env.clientId.isEmpty() ? provided : env.clientId);
    if (!env.username.isEmpty())
        row(u"Username"_s, env.username);
    row(u"Scopes"_s, env.scopes.join(u' '));
    for (const auto &param : env.params)
        row(u"Parameter"_s, param.name + u'=' + (param.secret ? u"•••• (keychain)"_s : param.value));
    for (const auto &header : env.headers)
        row(u"Header"_s, header.name + u": "_s + header.valueTemplate);
    for (const auto &[name, value] : env.variables)
        row(u"Variable"_s, name + u'=' + value);
    if (env.allowInsecureHttp)
        row(u"Insecure http"_s, u"allowed"_s);
    for (const QString &certificate : Environment::describeCertificates(env.trustedCertificates))
        row(u"Trusts"_s, certificate);
    if (!env.signingKeyId.isEmpty())
        row(u"Signing key id"_s, env.signingKeyId);
    if (!env.clientCertificate.isEmpty())
        row(u"Client certificate"_s, ClientCertificate::subject(env.clientCertificate));
}

QJsonObject CliPrinter::tokenJson(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken)
{
    QJsonObject json;
    json.insert(u"environment"_s, environment.name);
    json.insert(u"token_type"_s, token.tokenType);
    json.insert(u"requested_scopes"_s, QJsonArray::fromStringList(token.requestedScopes));
    json.insert(u"scope_source"_s, scopeSourceName(token.scopeSource));
    if (token.scopeSource == AccessToken::ScopeSource::NotReported)
        json.insert(u"granted_scopes"_s, QJsonValue::Null);
    else
        json.insert(u"granted_scopes"_s, QJsonArray::fromStringList(token.grantedScopes));
    json.insert(u"not_granted_scopes"_s, QJsonArray::fromStringList(token.missingScopes()));
    json.insert(u"obtained_at"_s, token.obtainedAt.toString(Qt::ISODate));
    json.insert(u"expiry_source"_s, expirySourceName(token.expirySource));
    if (token.hasKnownExpiry()) {
        json.insert(u"expires_at"_s, token.expiresAt.toString(Qt::ISODate));
        json.insert(u"expires_in"_s, token.secondsLeft(now));
    } else {
        json.insert(u"expires_at"_s, QJsonValue::Null);
        json.insert(u"expires_in"_s, QJsonValue::Null);
    }
    json.insert(u"extra_fields"_s, maskedExtraFields(token.extraFields, showToken));
    const JwtView jwt = token.jwt();
    QJsonObject jwtJson{{u"kind"_s, jwtKindName(jwt.kind())}};
    if (jwt.isJwt()) {
        jwtJson.insert(u"header"_s, jwt.header());
        jwtJson.insert(u"claims"_s, jwt.claims());
        jwtJson.insert(u"signature_verified"_s, false);
    } else if (!jwt.problem().isEmpty()) {
        jwtJson.insert(u"problem"_s, jwt.problem());
    }
    json.insert(u"jwt"_s, jwtJson);
    // Whether a refresh token is held, never its value: it outlives the access token by far.
    json.insert(u"refresh_token_held"_s, !token.refreshToken.isEmpty());
    json.insert(u"refresh_token_kept"_s, token.refreshTokenKept);
    json.insert(u"refreshed_at"_s, token.refreshedAt.isValid() ? QJsonValue(token.refreshedAt.toString(Qt::ISODate)) : QJsonValue());
    if (showToken)
        json.insert(u"access_token"_s, token.value);
    return json;
}

void CliPrinter::token(const Environment &environment, const AccessToken &token, const QDateTime &now, bool showToken,
                       const SignatureCheck &signature, const std::optional<SignatureCheck> &idTokenSignature,
                       const std::optional<IdTokenClaimsCheck> &idTokenClaims)
{
    const auto signatureJson = [](const SignatureCheck &check) {
        QJsonObject json{{u"status"_s, SignatureCheck::statusName(check.status)}, {u"summary"_s, check.summary()}};
        if (!check.algorithm.isEmpty())
            json.insert(u"alg"_s, check.algorithm);
        if (!check.keyId.isEmpty())
            json.insert(u"kid"_s, check.keyId);
        if (!check.reason.isEmpty())
            json.insert(u"reason"_s, check.reason);
        return json;
    };
    if (m_json) {
        QJsonObject json = tokenJson(environment, token, now, showToken);
        json.insert(u"signature"_s, signatureJson(signature));
        // The JWT's own flag agrees with the check just made (elsewhere nothing was checked: false).
        if (QJsonObject jwt = json.value(u"jwt"_s).toObject(); jwt.contains(u"signature_verified"_s)) {
            jwt.insert(u"signature_verified"_s, signature.isVerified());
            json.insert(u"jwt"_s, jwt);
        }
        // RFC 8705 §3: whether the API will want the environment's certificate with this token.
        if (const JwtView view = token.jwt(); view.isJwt()) {
            const CertificateBinding binding = CertificateBinding::check(view.claims(), environment.clientCertificate);
            QJsonObject bindingJson{{u"status"_s, CertificateBinding::statusName(binding.status())},
                                    {u"bound"_s, binding.isBound()},
                                    {u"matches"_s, binding.status() == CertificateBinding::Status::Matches},
                                    {u"summary"_s, binding.summary()}};
            if (binding.isBound())
                bindingJson.insert(u"token_x5t#S256"_s, binding.tokenThumbprint());
            if (const QString own = CertificateBinding::thumbprint(environment.clientCertificate); !own.isEmpty())
                bindingJson.insert(u"certificate_x5t#S256"_s, own);
            json.insert(u"certificate_binding"_s, bindingJson);
        }
        if (idTokenSignature)
            json.insert(u"id_token_signature"_s, signatureJson(*idTokenSignature));
        if (idTokenClaims)
            json.insert(u"id_token_claims"_s, QJsonObject{{u"status"_s, IdTokenClaimsCheck::statusName(idTokenClaims->status())},
                                                          {u"summary"_s, idTokenClaims->summary()},
                                                          {u"reason"_s, idTokenClaims->reason()}});
        printJson(json);
        return;
    }
    const auto row = [this](const QString &label, const QString &value) {
        m_out << qSetFieldWidth(15) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    row(u"Environment"_s, u"%1 (%2)"_s.arg(environment.name, Environment::tierName(environment.tier)));
    row(u"Token type"_s, token.tokenType);
    row(u"Requested"_s, token.requestedScopes.isEmpty() ? u"(server default)"_s : token.requestedScopes.join(u' '));
    if (token.scopeSource == AccessToken::ScopeSource::NotReported) {
        row(u"Granted"_s, u"not reported by the server"_s);
    } else {
        row(u"Granted"_s, (token.grantedScopes.isEmpty() ? u"(none)"_s : token.grantedScopes.join(u' '))
                              + (token.scopeSource == AccessToken::ScopeSource::JwtClaim ? u"  (from the JWT)"_s : QString()));
        const QStringList missing = token.missingScopes();
        if (!missing.isEmpty())
            row(u"NOT granted"_s, missing.join(u' '));
    }
    if (token.hasKnownExpiry()) {
        row(u"Expires"_s, u"%1, %2%3"_s.arg(formatTime(token.expiresAt), formatDuration(token.secondsLeft(now)),
                                           token.expirySource == AccessToken::ExpirySource::JwtExp ? u" (from the JWT's exp)"_s : QString()));
    } else {
        row(u"Expires"_s, u"unknown (the server sent no usable expires_in)"_s);
    }
    const QJsonObject extra = maskedExtraFields(token.extraFields, showToken);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        const QJsonValue v = it.value();
        const QString text = v.isString() ? v.toString()
            : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
            : v.isArray() ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact))
                          : v.toVariant().toString();
        row(u"Field"_s, it.key() + u": "_s + text);
    }
    const JwtView jwt = token.jwt();
    const QString indent(15, u' ');
    switch (jwt.kind()) {
    case JwtView::Kind::Opaque:
        row(u"Format"_s, u"opaque (not a JWT; the server keeps its meaning)"_s);
        break;
    case JwtView::Kind::Malformed:
        row(u"Format"_s, u"looks like a JWT but cannot be decoded: "_s + jwt.problem());
        break;
    case JwtView::Kind::Jwt:
        row(u"Format"_s, jwt.isUnsigned() ? u"JWT, UNSIGNED (alg none)"_s : u"JWT (%1)"_s.arg(jwt.algorithm()));
        row(u"Signature"_s, signature.summary());
        if (const CertificateBinding binding = CertificateBinding::check(jwt.claims(), environment.clientCertificate);
            binding.isBound() || !environment.clientCertificate.isEmpty())
            row(u"Certificate"_s, binding.summary());
        row(u"JWT header"_s, indentJson(jwt.header(), indent));
        row(u"JWT claims"_s, indentJson(jwt.claims(), indent));
        for (const QString &claim : {u"iat"_s, u"nbf"_s, u"exp"_s}) {
            if (const auto t = jwt.timeClaim(claim))
                row(claim, formatTime(*t));
        }
        break;
    }
    // The ID token's checks, whatever the access token is (an opaque one has its ID token too).
    if (idTokenSignature)
        row(u"ID token"_s, idTokenSignature->summary());
    if (idTokenClaims)
        row(u"ID claims"_s, idTokenClaims->summary());
    if (!token.refreshToken.isEmpty()) {
        row(u"Refresh token"_s, (token.refreshTokenKept ? u"held, kept in the keychain"_s : u"held for this run only"_s)
                                    + (token.refreshedAt.isValid() ? u"; this token came from it"_s : QString()));
    }
    row(u"Access token"_s, showToken ? token.value : u"(hidden; add --show-token to print it)"_s);
}

QJsonObject CliPrinter::errorJson(const OAuthError &error)
{
    QJsonObject json{{u"kind"_s, OAuthError::kindName(error.kind)}, {u"message"_s, error.summary()}};
    if (!error.endpoint.isEmpty())
        json.insert(u"endpoint"_s, error.endpoint.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    if (error.httpStatus)
        json.insert(u"status"_s, error.httpStatus);
    if (!error.code.isEmpty())
        json.insert(u"error"_s, error.code);
    if (!error.description.isEmpty())
        json.insert(u"error_description"_s, error.description);
    if (!error.uri.isEmpty())
        json.insert(u"error_uri"_s, error.uri);
    if (!error.excerpt.isEmpty())
        json.insert(u"excerpt"_s, error.excerpt);
    if (!error.detail.isEmpty())
        json.insert(u"detail"_s, error.detail);
    const QString hint = error.hint();
    if (!hint.isEmpty())
        json.insert(u"hint"_s, hint);
    return json;
}

void CliPrinter::error(const OAuthError &unmasked)
{
    const OAuthError error = m_known ? m_known->mask(unmasked) : unmasked;
    if (m_json) {
        printJson({{u"error"_s, errorJson(error)}});
        return;
    }
    m_err << "tokenbench-cli: " << error.summary() << Qt::endl;
    const QString hint = error.hint();
    if (!hint.isEmpty())
        m_err << "Hint: " << hint << Qt::endl;
}

void CliPrinter::writeRaw(const QByteArray &bytes)
{
    m_out.flush(); // whatever the text stream holds comes first
    if (m_stdoutIsTerminal) {
        // Undecodable bytes show as U+FFFD: on a terminal a body is read, not kept.
        m_out << TerminalText::clean(QString::fromUtf8(bytes));
        m_out.flush();
        return;
    }
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

namespace {
QJsonArray headerArray(const HttpHeaders &headers)
{
    QJsonArray out;
    for (const auto &[name, value] : headers.fields())
        out.append(QJsonObject{{u"name"_s, QString::fromLatin1(name)}, {u"value"_s, QString::fromUtf8(value)}});
    return out;
}

// Keyed by lower-case name so `jq .headers["content-type"]` works whatever case the server used.
QJsonObject headerObject(const HttpHeaders &headers)
{
    QJsonObject out;
    for (const auto &[name, value] : headers.fields()) {
        const QString key = QString::fromLatin1(name).toLower();
        const QString text = QString::fromUtf8(value);
        const QString separator = key == u"set-cookie"_s ? u"\n"_s : u", "_s;
        out.insert(key, out.contains(key) ? out.value(key).toString() + separator + text : text);
    }
    return out;
}

// The exchange's own sentence, and for a body cut at the limit how to raise it.
QString transportFailureText(const ExchangeResult &exchange)
{
    QString text = exchange.errorText();
    if (exchange.error == ExchangeResult::Error::TooLarge && exchange.tooLarge == ExchangeResult::TooLarge::Body)
        text += u"; raise the limit with --max-response-size (now %1)"_s.arg(ResponseLimit::format(exchange.sizeLimit));
    return text;
}

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    Q_UNUSED(text)
    return !decoder.hasError();
}
} // namespace

bool CliPrinter::stdoutIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stdout)) != 0;
#else
    return isatty(fileno(stdout)) != 0;
#endif
}

void CliPrinter::tokenRequest(const TokenRequest &request)
{
    m_err << "* token request, scopes: " << (request.scopes.isEmpty() ? u"none"_s : request.scopes.join(u' ')) << '\n';
    for (const QString &line : request.redactedTranscript().split(u'\n'))
        m_err << "> " << line << '\n';
    m_err.flush();
}

QJsonObject CliPrinter::apiCallJson(const Environment &environment, const ApiCallResult &result, const ExpectedStatus *expected,
                                    LargeJsonBody *large)
{
    QJsonObject json{{u"environment"_s, environment.name}, {u"outcome"_s, ApiCallResult::outcomeName(result.outcome)}};
    const PreparedRequest &request = result.request;
    if (!request.method.isEmpty() || !request.url.isEmpty()) {
        json.insert(u"request"_s, QJsonObject{{u"method"_s, QString::fromLatin1(request.method)},
                                              {u"url"_s, request.url.toString(QUrl::FullyEncoded)},
                                              {u"headers"_s, headerArray(request.headers)},
                                              {u"body_size"_s, request.body.size()}});
    }
    QJsonArray injected;
    for (const auto &header : result.injected) {
        QJsonObject entry{{u"name"_s, QString::fromLatin1(header.name)}, {u"source"_s, header.source},
                          {u"state"_s, InjectedHeader::stateName(header.state)}, {u"overridden"_s, header.overridden}};
        if (header.isSent())
            entry.insert(u"value"_s, header.displayValue());
        injected.append(entry);
    }
    json.insert(u"injected"_s, injected);
    QJsonObject token{{u"sent"_s, result.tokenSent}, {u"authorized_first"_s, result.authorizedFirst},
                      {u"reauthorized"_s, result.reauthorizations > 0}, {u"scopes"_s, QJsonArray::fromStringList(result.scopes)},
                      {u"scope_match"_s, TokenScopes::matchName(result.scopeMatch)}};
    if (result.token) {
        token.insert(u"token_type"_s, result.token->tokenType);
        token.insert(u"granted_scopes"_s, result.token->scopeSource == AccessToken::ScopeSource::NotReported
                                              ? QJsonValue() : QJsonValue(QJsonArray::fromStringList(result.token->grantedScopes)));
        if (result.token->hasKnownExpiry())
            token.insert(u"expires_at"_s, result.token->expiresAt.toString(Qt::ISODate));
    }
    json.insert(u"token"_s, token);

    const ExchangeResult &exchange = result.exchange;
    if (result.outcome == ApiCallResult::Outcome::Answered) {
        json.insert(u"status"_s, exchange.status);
        json.insert(u"reason"_s, QString::fromLatin1(exchange.reason));
        json.insert(u"http_version"_s, QString::fromLatin1(exchange.httpVersion));
        json.insert(u"final_url"_s, exchange.finalUrl.toString(QUrl::FullyEncoded));
        json.insert(u"headers"_s, headerObject(exchange.headers));
        // A big body is checked in place and written as it came (LargeJsonBody): as a QJsonDocument
        // it would cost many times its size.
        if (large && exchange.body.size() > LargeJsonBody::threshold) {
            const auto encoding = JsonSyntax::isValid(exchange.body) ? LargeJsonBody::Encoding::Json
                                  : JsonSyntax::isUtf8(exchange.body) ? LargeJsonBody::Encoding::Text
                                                                      : LargeJsonBody::Encoding::Base64;
            *large = LargeJsonBody(exchange.body, encoding);
            json.insert(u"body"_s, LargeJsonBody::placeholder());
            json.insert(u"body_encoding"_s, LargeJsonBody::encodingName(encoding));
        } else {
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(exchange.body, &parseError);
            if (!exchange.body.isEmpty() && parseError.error == QJsonParseError::NoError) {
                json.insert(u"body"_s, document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object()));
                json.insert(u"body_encoding"_s, u"json"_s);
            } else if (isUtf8(exchange.body)) {
                json.insert(u"body"_s, QString::fromUtf8(exchange.body));
                json.insert(u"body_encoding"_s, u"text"_s);
            } else {
                json.insert(u"body"_s, QString::fromLatin1(exchange.body.toBase64()));
                json.insert(u"body_encoding"_s, u"base64"_s);
            }
        }
        json.insert(u"size"_s, exchange.size());
        json.insert(u"timing"_s, QJsonObject{{u"total_ms"_s, exchange.totalMs}, {u"headers_ms"_s, exchange.headersMs}});
        QJsonArray redirects;
        for (const auto &hop : exchange.redirects) {
            QStringList stripped;
            for (const QByteArray &name : hop.strippedHeaders)
                stripped.append(QString::fromLatin1(name));
            redirects.append(QJsonObject{{u"status"_s, hop.status}, {u"from"_s, hop.from.toString(QUrl::FullyEncoded)},
                                         {u"to"_s, hop.to.toString(QUrl::FullyEncoded)}, {u"method"_s, QString::fromLatin1(hop.method)},
                                         {u"next_method"_s, QString::fromLatin1(hop.nextMethod)},
                                         {u"stripped_headers"_s, QJsonArray::fromStringList(stripped)}});
        }
        json.insert(u"redirects"_s, redirects);
        if (!exchange.redirectNotFollowed.isEmpty())
            json.insert(u"redirect_not_followed"_s, exchange.redirectNotFollowed);
        json.insert(u"readout"_s, result.readout.toJson());
    }
    if (!result.notes.isEmpty())
        json.insert(u"notes"_s, QJsonArray::fromStringList(result.notes));
    // Always there: the status when the API answered (even when the transfer failed after the
    // status line), else null.
    if (!json.contains(u"status"_s))
        json.insert(u"status"_s, exchange.status > 0 ? QJsonValue(exchange.status) : QJsonValue());
    if (expected) {
        json.insert(u"expected_status"_s, QJsonArray::fromStringList(expected->items()));
        json.insert(u"status_expected"_s, result.answered() && expected->matches(exchange.status));
    }

    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered:
        break;
    case ApiCallResult::Outcome::NotSent:
    case ApiCallResult::Outcome::Refused:
        json.insert(u"error"_s, QJsonObject{{u"kind"_s, ApiCallResult::outcomeName(result.outcome)},
                                            {u"message"_s, result.problems.join(u"; "_s)}});
        break;
    case ApiCallResult::Outcome::NeedsConfirmation:
        json.insert(u"error"_s, QJsonObject{{u"kind"_s, u"confirmation_required"_s}, {u"message"_s, result.confirmation}});
        break;
    case ApiCallResult::Outcome::NeedsUploadConsent:
        json.insert(u"error"_s, QJsonObject{{u"kind"_s, u"upload_consent_required"_s}, {u"message"_s, result.uploadConsent.description()},
                                            {u"files"_s, QJsonArray::fromStringList(result.uploadConsent.files())},
                                            {u"destination"_s, result.uploadConsent.destination()}});
        break;
    case ApiCallResult::Outcome::TokenFailed:
        json.insert(u"error"_s, errorJson(result.tokenError));
        break;
    case ApiCallResult::Outcome::TransportFailed:
    case ApiCallResult::Outcome::Cancelled: {
        QJsonObject error{{u"kind"_s, ExchangeResult::errorName(exchange.error)}, {u"message"_s, transportFailureText(exchange)}};
        if (exchange.error == ExchangeResult::Error::TooLarge) {
            // What a script needs to decide: which limit, and how much came before the cut.
            error.insert(u"part"_s, exchange.tooLarge == ExchangeResult::TooLarge::Headers ? u"headers"_s : u"body"_s);
            error.insert(u"size_limit"_s, exchange.sizeLimit);
            error.insert(u"cut_at"_s, exchange.body.size());
        }
        json.insert(u"error"_s, error);
        break;
    }
    }
    return json;
}

void CliPrinter::apiCall(const Environment &environment, const ApiCallResult &result, bool include, bool verbose, const ExpectedStatus *expected)
{
    if (m_json) {
        LargeJsonBody large;
        const QJsonObject json = apiCallJson(environment, result, expected, &large);
        printJson(json, large);
        return;
    }
    if (verbose && !result.request.method.isEmpty()) {
        m_err << "> " << QString::fromLatin1(result.request.method) << ' ' << result.request.url.toString(QUrl::FullyEncoded) << '\n';
        for (const auto &[name, value] : result.request.headers.fields())
            m_err << "> " << QString::fromLatin1(name) << ": " << QString::fromUtf8(value) << '\n';
        for (const auto &header : result.injected) {
            m_err << "* " << QString::fromLatin1(header.name) << " from " << header.source << ": "
                  << (header.isSent() ? header.displayValue() : InjectedHeader::stateName(header.state).replace(u'_', u' ')) << '\n';
        }
        if (result.token && result.tokenSent) {
            m_err << "* token: " << (result.authorizedFirst ? "authorized for this request" : "reused") << ", scopes "
                  << (result.token->scopeSource == AccessToken::ScopeSource::NotReported ? u"not reported"_s : result.token->grantedScopes.join(u' '))
                  << '\n';
        }
        m_err.flush();
    }
    for (const QString &note : result.notes)
        m_err << "Note: " << note << '\n';
    m_err.flush();

    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered:
        break;
    case ApiCallResult::Outcome::NotSent:
    case ApiCallResult::Outcome::Refused:
        for (const QString &problem : result.problems)
            m_err << "tokenbench-cli: " << problem << Qt::endl;
        return;
    case ApiCallResult::Outcome::NeedsConfirmation:
        m_err << "tokenbench-cli: " << result.confirmation << " Nothing was sent; add --yes to send it." << Qt::endl;
        return;
    case ApiCallResult::Outcome::NeedsUploadConsent:
        m_err << "tokenbench-cli: " << result.uploadConsent.description() << " Nothing was read or sent; add --allow-file-upload to send "
              << (result.uploadConsent.files().size() == 1 ? "it." : "them.") << Qt::endl;
        return;
    case ApiCallResult::Outcome::TokenFailed:
        m_err << "tokenbench-cli: no token for the request, nothing was sent to the API." << Qt::endl;
        error(result.tokenError);
        return;
    case ApiCallResult::Outcome::TransportFailed:
    case ApiCallResult::Outcome::Cancelled:
        m_err << "tokenbench-cli: " << transportFailureText(result.exchange) << Qt::endl;
        return;
    }

    const ExchangeResult &exchange = result.exchange;
    if (verbose) {
        m_err << "< " << QString::fromLatin1(exchange.httpVersion) << ' ' << exchange.status << ' ' << QString::fromLatin1(exchange.reason)
              << "  (" << exchange.totalMs << " ms, " << exchange.size() << " bytes)" << Qt::endl;
    }
    if (include) {
        QByteArray head = exchange.httpVersion + ' ' + QByteArray::number(exchange.status);
        if (!exchange.reason.isEmpty())
            head += ' ' + exchange.reason;
        head += '\n';
        for (const auto &[name, value] : exchange.headers.fields())
            head += name + ": " + value + '\n';
        head += '\n';
        writeRaw(head);
    }
    writeRaw(exchange.body);
    // A terminal's prompt would otherwise follow the last line of a body without a line break;
    // piped or redirected output stays byte for byte what the API sent.
    if (!exchange.body.isEmpty() && !exchange.body.endsWith('\n') && stdoutIsTerminal())
        writeRaw("\n");
    if (result.readout.isDenial() || result.readout.kind == DenialReadout::Kind::Redirect)
        m_err << "tokenbench-cli: " << result.readout.text() << Qt::endl;
    if (expected && !expected->matches(exchange.status)) {
        m_err << "tokenbench-cli: expected status " << expected->text() << ", got " << exchange.status;
        if (!exchange.reason.isEmpty())
            m_err << ' ' << QString::fromLatin1(exchange.reason);
        m_err << Qt::endl;
    }
}

double RepeatSummary::percentile(const QList<double> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    const auto rank = static_cast<qsizetype>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1));
}

QString RepeatSummary::statusesText() const
{
    QStringList parts;
    for (auto it = statuses.constBegin(); it != statuses.constEnd(); ++it)
        parts.append(u"%1 ×%2"_s.arg(it.key()).arg(it.value()));
    return parts.join(u", "_s);
}

QJsonObject RepeatSummary::toJson() const
{
    QJsonObject statusCounts;
    for (auto it = statuses.constBegin(); it != statuses.constEnd(); ++it)
        statusCounts.insert(it.key(), it.value());
    QJsonObject json{{u"requested"_s, requested},
                     {u"count"_s, count},
                     {u"statuses"_s, statusCounts},
                     {u"total_ms"_s, std::round(totalMs * 100) / 100},
                     {u"latency_ms"_s, QJsonObject{{u"median"_s, std::round(medianMs * 100) / 100},
                                                   {u"p95"_s, std::round(p95Ms * 100) / 100},
                                                   {u"max"_s, std::round(maxMs * 100) / 100}}},
                     {u"token_requests"_s, tokenRequests},
                     {u"exit_code"_s, exitCode}};
    if (!stoppedBecause.isEmpty())
        json.insert(u"stopped"_s, stoppedBecause);
    return json;
}

void CliPrinter::repeatedApiCall(const Environment &environment, const ApiCallResult &last, const RepeatSummary &summary, bool include,
                                 bool verbose, const ExpectedStatus *expected)
{
    if (m_json) {
        LargeJsonBody large;
        QJsonObject json = apiCallJson(environment, last, expected, &large);
        json.insert(u"repeat"_s, summary.toJson());
        printJson(json, large);
    } else {
        apiCall(environment, last, include, verbose, expected);
    }
    // On stderr in both modes: stdout keeps exactly what one send would print.
    const auto ms = [](double value) { return QString::number(value, 'f', 2); };
    m_err << "Repeat: " << summary.count << " of " << summary.requested << " requests in " << ms(summary.totalMs) << " ms, "
          << summary.tokenRequests << (summary.tokenRequests == 1 ? " token request" : " token requests") << '\n'
          << "Statuses: " << summary.statusesText() << '\n'
          << "Latency: median " << ms(summary.medianMs) << " ms, p95 " << ms(summary.p95Ms) << " ms, max " << ms(summary.maxMs) << " ms"
          << Qt::endl;
    if (!summary.stoppedBecause.isEmpty())
        m_err << "Stopped early: " << summary.stoppedBecause << Qt::endl;
}

QJsonObject CliPrinter::savedRequestJson(const SavedRequest &request)
{
    QJsonObject json{{u"id"_s, request.id},
                     {u"name"_s, request.name},
                     {u"method"_s, request.draft.method},
                     {u"url"_s, request.draft.url},
                     {u"request"_s, request.draft.toJson()}};
    if (!request.folder.isEmpty())
        json.insert(u"folder"_s, request.folder);
    if (!request.summary.isEmpty())
        json.insert(u"summary"_s, request.summary);
    // Always there, [] when nothing is documented: scripts read one key, as the file writes it.
    QJsonArray alternatives;
    for (const ScopeRequirement &requirement : request.requiredScopes)
        alternatives.append(QJsonObject{{u"scheme"_s, requirement.scheme}, {u"scopes"_s, QJsonArray::fromStringList(requirement.scopes)}});
    json.insert(u"requiredScopes"_s, alternatives);
    if (request.successStatus != 0)
        json.insert(u"successStatus"_s, request.successStatus);
    return json;
}

QString CliPrinter::requiredScopesText(const QList<ScopeRequirement> &alternatives)
{
    if (alternatives.isEmpty())
        return u"-"_s;
    QStringList shown;
    for (const ScopeRequirement &requirement : alternatives)
        shown.append(requirement.scopes.isEmpty() ? u"(no scope)"_s : requirement.scopes.join(u' '));
    return shown.join(u" | "_s);
}

void CliPrinter::savedRequestList(const QList<SavedRequest> &requests)
{
    if (m_json) {
        QJsonArray list;
        for (const auto &request : requests)
            list.append(savedRequestJson(request));
        printJson({{u"requests"_s, list}});
        return;
    }
    if (requests.isEmpty()) {
        m_out << "No saved requests in this workspace. Save one with 'tokenbench-cli send ... --save-as NAME' or import an API's "
                 "description (OpenAPI, Postman)." << Qt::endl;
        return;
    }
    const QStringList header{u"NAME"_s, u"METHOD"_s, u"URL"_s, u"FOLDER"_s, u"SCOPES"_s};
    QList<QStringList> rows{header};
    for (const auto &request : requests)
        rows.append({request.name, request.draft.method, request.draft.url, request.folder, requiredScopesText(request.requiredScopes)});
    // Columns as wide as their widest cell, up to a cap past which one long URL does not push every
    // other row's scopes off the screen.
    constexpr qsizetype cap = 48;
    QList<qsizetype> widths(header.size() - 1, 0);
    for (const QStringList &row : std::as_const(rows)) {
        for (qsizetype column = 0; column < widths.size(); ++column)
            widths[column] = std::max(widths[column], std::min(row.at(column).size(), cap));
    }
    for (const QStringList &row : std::as_const(rows)) {
        QString line;
        for (qsizetype column = 0; column < widths.size(); ++column)
            line += row.at(column).leftJustified(widths[column]) + u"  "_s;
        m_out << line + row.last() << Qt::endl;
    }
}

void CliPrinter::savedRequest(const SavedRequest &request)
{
    if (m_json) {
        printJson(savedRequestJson(request));
        return;
    }
    const RequestDraft &draft = request.draft;
    const auto row = [this](const QString &label, const QString &value) {
        m_out << qSetFieldWidth(16) << Qt::left << label + u':' << qSetFieldWidth(0) << value << Qt::endl;
    };
    const auto enabled = [](const RequestDraft::Row &r) { return r.enabled ? QString() : u"  (off)"_s; };
    row(u"Name"_s, request.name);
    if (!request.folder.isEmpty())
        row(u"Folder"_s, request.folder);
    if (!request.summary.isEmpty())
        row(u"Summary"_s, request.summary);
    row(u"Request"_s, draft.method + u' ' + draft.url);
    // What its document says it needs and answers: what the scope matrix verifies.
    if (!request.requiredScopes.isEmpty())
        row(u"Needs"_s, requiredScopesText(request.requiredScopes));
    if (request.successStatus != 0)
        row(u"Success status"_s, QString::number(request.successStatus));
    for (const auto &param : draft.queryParams)
        row(u"Query"_s, param.name + u'=' + param.value + enabled(param));
    for (const auto &header : draft.headers)
        row(u"Header"_s, header.name + u": "_s + header.value + enabled(header));
    for (const auto &entry : draft.injectionSwitches) {
        if (entry.disabled)
            row(u"Injected"_s, entry.headerName + u": not sent"_s);
        else if (entry.value)
            row(u"Injected"_s, entry.headerName + u": "_s + *entry.value + u"  (instead of the environment's)"_s);
    }
    if (!draft.scopes.isEmpty() || draft.noScopes) {
        TokenScopes named;
        named.scopes = TokenScopes::normalized(draft.scopes);
        named.match = draft.scopeMatch;
        row(u"Scopes"_s, named.describe());
    }
    for (const auto &[name, value] : draft.extraVariables)
        row(u"Variable"_s, name + u'=' + value);
    if (!draft.contentType.isEmpty())
        row(u"Content-Type"_s, draft.contentType);
    for (const auto &part : draft.formParts)
        row(part.enabled ? u"Form field"_s : u"Form field (off)"_s, part.name + (part.isFile ? u"=@"_s : u"="_s) + part.value);
    if (!draft.formParts.isEmpty() && !draft.expandBodyVariables)
        row(u"Form variables"_s, u"not expanded"_s);
    if (!draft.body.isEmpty() && draft.formParts.isEmpty()) {
        row(u"Body"_s, isUtf8(draft.body) ? QString::fromUtf8(draft.body) : u"%1 bytes of binary data"_s.arg(draft.body.size()));
        if (!draft.expandBodyVariables)
            row(u"Body variables"_s, u"not expanded"_s);
    }
}
