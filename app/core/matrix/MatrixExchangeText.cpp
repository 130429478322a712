#include "matrix/MatrixExchangeText.h"

#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace {
void appendHeaders(QString *out, const QJsonArray &headers)
{
    for (const QJsonValue &header : headers) {
        const QJsonArray pair = header.toArray();
        *out += pair.at(0).toString() + u": "_s + pair.at(1).toString() + u'\n';
    }
}

void appendBody(QString *out, const QJsonObject &part)
{
    const qint64 size = part.value(u"bodySize"_s).toInteger();
    const QString body = part.value(u"body"_s).toString();
    if (body.isEmpty() && size == 0)
        return;
    *out += u'\n';
    if (part.value(u"bodyBase64"_s).toBool()) {
        *out += u"(%1 bytes of binary data, not shown)\n"_s.arg(QLocale::c().toString(size));
        return;
    }
    *out += body;
    if (!body.endsWith(u'\n'))
        *out += u'\n';
    if (part.value(u"bodyTruncated"_s).toBool())
        *out += u"(cut: %1 of %2 bytes shown)\n"_s.arg(QLocale::c().toString(body.toUtf8().size()), QLocale::c().toString(size));
}
} // namespace

QString MatrixExchangeText::of(const QJsonObject &evidence)
{
    QString out;
    const QJsonObject request = evidence.value(u"request"_s).toObject();
    if (!request.isEmpty()) {
        out += request.value(u"line"_s).toString() + u'\n';
        appendHeaders(&out, request.value(u"headers"_s).toArray());
        appendBody(&out, request);
    }
    const QJsonObject response = evidence.value(u"response"_s).toObject();
    if (!response.isEmpty()) {
        if (!out.isEmpty())
            out += u'\n';
        QString version = response.value(u"httpVersion"_s).toString();
        version = version.isEmpty() ? u"HTTP"_s : (version.startsWith(u"HTTP"_s) ? version : u"HTTP/"_s + version);
        out += u"%1 %2 %3"_s.arg(version).arg(response.value(u"status"_s).toInt()).arg(response.value(u"reason"_s).toString()).trimmed() + u'\n';
        appendHeaders(&out, response.value(u"headers"_s).toArray());
        appendBody(&out, response);
    } else if (evidence.contains(u"error"_s)) {
        if (!out.isEmpty())
            out += u'\n';
        out += u"No answer: "_s + evidence.value(u"error"_s).toString() + u'\n';
    }
    return out;
}

QString MatrixExchangeText::xmlSafe(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            out += c;
            out += text.at(++i); // a character beyond the BMP: allowed
            continue;
        }
        const char16_t u = c.unicode();
        const bool allowed = u == 0x9 || u == 0xA || u == 0xD || (u >= 0x20 && u <= 0xD7FF) || (u >= 0xE000 && u <= 0xFFFD);
        // DEL and the C1 controls are allowed in XML but still drive terminals: replaced too.
        const bool control = u >= 0x7F && u <= 0x9F;
        out += allowed && !control ? c : QChar(QChar::ReplacementCharacter);
    }
    return out;
}
