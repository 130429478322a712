#include "http/RequestBuilder.h"

#include "http/MultipartBody.h"
#include "http/UrlLookalike.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RequestBuilder", text);
}

void collect(QStringList *into, const QStringList &names)
{
    for (const QString &name : names) {
        if (!into->contains(name))
            into->append(name);
    }
}

// Splits "path?query#fragment"; the fragment is the client's business and never sent.
void splitReference(const QString &text, QString *path, QString *query, bool *hasQuery)
{
    QString rest = text;
    const qsizetype hash = rest.indexOf(u'#');
    if (hash >= 0)
        rest.truncate(hash);
    const qsizetype question = rest.indexOf(u'?');
    *hasQuery = question >= 0;
    *path = question >= 0 ? rest.left(question) : rest;
    *query = question >= 0 ? rest.mid(question + 1) : QString();
}
} // namespace

TemplateExpander::Variables RequestBuilder::variablesFor(const RequestDraft &draft, const Environment &environment)
{
    return draft.extraVariables + environment.variables;
}

bool RequestBuilder::isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && !QByteArrayView("!#$%&'*+-.^_`|~").contains(c))
            return false;
    }
    return true;
}

QString RequestBuilder::headerValueProblem(const QString &name, const QString &value)
{
    for (const QChar c : value) {
        if (c == u'\r' || c == u'\n' || c == u'\0')
            return tr("the value of the header %1 contains a line break or NUL, which would start another header").arg(name);
    }
    return {};
}

bool RequestBuilder::isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder.decode(bytes);
    Q_UNUSED(decoded)
    return !decoder.hasError();
}

QByteArray RequestBuilder::normalizedMethod(const QString &method)
{
    const QByteArray bytes = method.trimmed().toLatin1();
    if (!isToken(bytes) || method.trimmed().size() != bytes.size())
        return {};
    static const QList<QByteArray> standard = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"};
    const QByteArray upper = bytes.toUpper();
    return standard.contains(upper) ? upper : bytes;
}

QByteArray RequestBuilder::guessContentType(const QByteArray &body)
{
    if (body.isEmpty())
        return {};
    QJsonParseError error;
    QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError)
        return "application/json"_ba;
    if (isValidUtf8(body))
        return "text/plain; charset=utf-8"_ba;
    return "application/octet-stream"_ba;
}

QUrl RequestBuilder::resolveUrl(const QString &urlOrPath, const QUrl &apiBase, QString *problem)
{
    const QString text = urlOrPath.trimmed();
    const auto fail = [problem](const QString &why) {
        if (problem)
            *problem = why;
        return QUrl();
    };
    if (text.isEmpty())
        return fail(tr("the request has no URL"));
    // The composer and `send` alike: appended to the base, "http//host/x" would go somewhere nobody meant.
    if (const auto intended = UrlLookalike::intendedUrl(text))
        return fail(tr("\"%1\" looks like a URL without \"://\" and is not appended to the API base URL; did you mean %2?").arg(text, *intended));

    static const QString schemeChars = u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-"_s;
    qsizetype schemeEnd = 0;
    while (schemeEnd < text.size() && schemeChars.contains(text.at(schemeEnd)))
        ++schemeEnd;
    const bool hasScheme = schemeEnd > 0 && schemeEnd < text.size() && text.at(schemeEnd) == u':' && text.at(0).isLetter();

    QUrl url;
    if (hasScheme) {
        const QString scheme = text.left(schemeEnd).toLower();
        if (scheme != u"http"_s && scheme != u"https"_s)
            return fail(tr("only http and https URLs can be sent, not %1:").arg(scheme));
        url = QUrl(text, QUrl::TolerantMode);
        if (!url.isValid() || url.host().isEmpty())
            return fail(tr("\"%1\" is not a valid URL").arg(text));
    } else if (text.startsWith(u"//"_s)) {
        return fail(tr("\"%1\" names a host without a scheme; write https://…").arg(text));
    } else {
        if (apiBase.isEmpty() || !apiBase.isValid() || apiBase.host().isEmpty())
            return fail(tr("\"%1\" is relative, but the environment has no API base URL").arg(text));
        QString path;
        QString query;
        bool hasQuery = false;
        splitReference(text, &path, &query, &hasQuery);
        QString basePath = apiBase.path(QUrl::FullyEncoded);
        while (basePath.endsWith(u'/'))
            basePath.chop(1);
        QString relative = path;
        if (!relative.startsWith(u'/'))
            relative.prepend(u'/');
        QString combined;
        if (!basePath.isEmpty() && (relative == basePath || relative.startsWith(basePath + u'/')))
            combined = relative; // already rooted at the base's path
        else
            combined = basePath + (relative == u"/"_s && !basePath.isEmpty() ? QString() : relative);
        url = apiBase;
        url.setFragment({});
        url.setPath(combined.isEmpty() ? u"/"_s : combined, QUrl::TolerantMode);
        if (hasQuery) {
            const QString baseQuery = apiBase.query(QUrl::FullyEncoded);
            url.setQuery(baseQuery.isEmpty() ? query : baseQuery + u'&' + query, QUrl::TolerantMode);
        }
        if (!url.isValid())
            return fail(tr("\"%1\" does not make a valid URL with the API base %2").arg(text, apiBase.toDisplayString()));
    }
    if (!url.userInfo().isEmpty())
        return fail(tr("the URL contains a user name or password; credentials never go into a URL"));
    url.setFragment({});
    return url;
}

void RequestBuilder::buildMultipart(const RequestDraft &draft, Files files, BuiltRequest *built)
{
    // A file is read as it is sent: the form keeps its path, as Postman and curl -F do.
    constexpr qint64 maxFileSize = qint64(512) * 1024 * 1024;
    QList<MultipartBody::Field> fields;
    for (const auto &part : draft.formParts) {
        if (!part.enabled || part.name.trimmed().isEmpty())
            continue;
        // Like a body: a form may be data whose {{…}} is not ours (a pasted curl -F), and a
        // placeholder no variable answers is sent as written, with a warning.
        const auto resolve = [&](const QString &text) {
            if (!draft.expandBodyVariables)
                return text;
            QStringList missing;
            const QString out = TemplateExpander::expand(text, built->variables, &missing);
            for (const QString &name : std::as_const(missing)) {
                const QString warning = tr("the form's {{%1}} matches no variable and is sent as written").arg(name);
                if (!built->warnings.contains(warning))
                    built->warnings.append(warning);
            }
            return out;
        };
        MultipartBody::Field field;
        field.name = resolve(part.name);
        if (!part.isFile) {
            field.data = resolve(part.value).toUtf8();
            fields.append(field);
            continue;
        }
        const QString path = resolve(part.value);
        if (!path.isEmpty())
            built->files.append(path);
        QFile file(path);
        const QFileInfo info(path);
        const bool readable = !path.isEmpty() && !info.isDir() && (files == Files::Read ? file.open(QIODevice::ReadOnly) : info.isReadable());
        if (!readable) {
            const QString why = path.isEmpty()          ? tr("no file chosen")
                : info.isDir()                          ? tr("it is a folder")
                : files == Files::Read                  ? file.errorString()
                : info.exists()                         ? tr("not readable")
                                                        : tr("no such file");
            built->problems.append(tr("the form field \"%1\" sends the file \"%2\", which cannot be read: %3").arg(field.name, path, why));
            continue;
        }
        // What is read, not what the file system says: a file that grows (or /dev/zero) stops here.
        if (files == Files::Read)
            field.data = file.read(maxFileSize + 1);
        if ((files == Files::Read ? field.data.size() : file.size()) > maxFileSize) {
            built->problems.append(tr("the form field \"%1\" sends %2, larger than the 512 MB a request may carry").arg(field.name, path));
            continue;
        }
        field.fileName = info.fileName();
        if (files == Files::Read) {
            field.contentType = QMimeDatabase().mimeTypeForFileNameAndData(path, field.data.left(4096)).name().toUtf8();
        } else {
            field.data = tr("(the %1 bytes of %2)").arg(file.size()).arg(path).toUtf8();
            field.contentType = QMimeDatabase().mimeTypeForFile(path, QMimeDatabase::MatchExtension).name().toUtf8();
        }
        fields.append(field);
    }
    // A Content-Type row of the user's wins: its boundary, if it names one, is the one the body
    // uses; a bare "multipart/form-data" (Swagger UI's curl has one) gets ours, as curl does.
    const QByteArray given = built->headers.value("Content-Type");
    QByteArray boundary = MultipartBody::boundaryOf(given);
    if (boundary.isEmpty()) {
        boundary = MultipartBody::boundaryFor(fields);
        if (given.isEmpty() || given.trimmed().toLower().startsWith("multipart/form-data"))
            built->headers.set("Content-Type"_ba, MultipartBody::contentType(boundary));
    } else {
        for (const auto &field : std::as_const(fields)) {
            if (field.data.contains(boundary))
                built->problems.append(tr("the form field \"%1\" contains the boundary \"%2\" of the Content-Type header")
                                           .arg(field.name, QString::fromLatin1(boundary)));
        }
    }
    built->body = MultipartBody::encode(fields, boundary);
}

BuiltRequest RequestBuilder::build(const RequestDraft &draft, const Environment &environment, Files files)
{
    BuiltRequest built;
    built.variables = variablesFor(draft, environment);
    const auto expand = [&built](const QString &text) {
        QStringList missing;
        const QString out = TemplateExpander::expand(text, built.variables, &missing);
        collect(&built.unresolved, missing);
        return out;
    };

    built.method = normalizedMethod(draft.method);
    if (built.method.isEmpty())
        built.problems.append(tr("\"%1\" is not an HTTP method").arg(draft.method));
    else if (built.method == "TRACE" || built.method == "CONNECT")
        built.problems.append(tr("%1 is not sent: TRACE echoes the request's credentials back, CONNECT opens a tunnel")
                                  .arg(QString::fromLatin1(built.method)));

    QString urlProblem;
    const QString urlText = expand(draft.url);
    if (built.unresolved.isEmpty()) { // a URL with a {{placeholder}} left in it is no URL to check yet
        built.url = resolveUrl(urlText, environment.apiBaseUrl, &urlProblem);
        if (!urlProblem.isEmpty())
            built.problems.append(urlProblem);
    }

    QStringList encodedParams;
    for (const auto &row : draft.queryParams) {
        if (!row.enabled || row.name.isEmpty())
            continue;
        const QByteArray name = QUrl::toPercentEncoding(expand(row.name));
        const QByteArray value = QUrl::toPercentEncoding(expand(row.value));
        encodedParams.append(QString::fromLatin1(name + '=' + value));
    }
    if (!encodedParams.isEmpty() && built.url.isValid() && !built.url.isEmpty()) {
        const QString existing = built.url.query(QUrl::FullyEncoded);
        const QString added = encodedParams.join(u'&');
        built.url.setQuery(existing.isEmpty() ? added : existing + u'&' + added, QUrl::TolerantMode);
    }

    for (const auto &row : draft.headers) {
        const QString name = row.name.trimmed();
        if (!row.enabled || name.isEmpty())
            continue;
        const QByteArray nameBytes = name.toLatin1();
        if (!isToken(nameBytes) || nameBytes.size() != name.size()) {
            built.problems.append(tr("\"%1\" is not a valid header name").arg(name));
            continue;
        }
        const QString value = expand(row.value).trimmed();
        if (const QString problem = headerValueProblem(name, value); !problem.isEmpty()) {
            built.problems.append(problem);
            continue;
        }
        built.headers.append(nameBytes, value.toUtf8());
    }

    if (!draft.formParts.isEmpty()) {
        buildMultipart(draft, files, &built);
        return built;
    }
    built.body = draft.body;
    if (draft.expandBodyVariables && !draft.body.isEmpty() && isValidUtf8(draft.body)) {
        // A body may legitimately carry "{{…}}" (a template sent to the API), so what no variable
        // answers stays literal and is only a warning there.
        QStringList missing;
        built.body = TemplateExpander::expand(QString::fromUtf8(draft.body), built.variables, &missing).toUtf8();
        for (const QString &name : std::as_const(missing))
            built.warnings.append(tr("the body's {{%1}} matches no variable and is sent as written").arg(name));
    }

    if (!built.body.isEmpty() && !built.headers.contains("Content-Type")) {
        const QByteArray type = draft.contentType.isEmpty() ? guessContentType(built.body) : draft.contentType.toUtf8();
        if (const QString problem = headerValueProblem(u"Content-Type"_s, QString::fromUtf8(type)); !problem.isEmpty())
            built.problems.append(problem);
        else
            built.headers.append("Content-Type"_ba, type);
    }
    return built;
}
