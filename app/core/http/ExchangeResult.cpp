#include "http/ExchangeResult.h"

#include "http/ResponseLimit.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QString ExchangeResult::errorName(Error error)
{
    switch (error) {
    case Error::None: return u"none"_s;
    case Error::InvalidRequest: return u"invalid_request"_s;
    case Error::Network: return u"network"_s;
    case Error::Tls: return u"tls"_s;
    case Error::Timeout: return u"timeout"_s;
    case Error::Cancelled: return u"cancelled"_s;
    case Error::TooLarge: return u"too_large"_s;
    }
    return {};
}

QString ExchangeResult::errorText() const
{
    const QString where = (finalUrl.isEmpty() ? url : finalUrl).toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    const auto tr = [](const char *text) { return QCoreApplication::translate("ExchangeResult", text); };
    switch (error) {
    case Error::None: return {};
    case Error::InvalidRequest: return tr("not sent: %1").arg(errorDetail);
    case Error::Network: return tr("no answer from %1: %2").arg(where, errorDetail);
    case Error::Tls: return tr("TLS failure with %1, nothing was sent: %2").arg(where, errorDetail);
    case Error::Timeout: return tr("%1 did not answer within %2").arg(where, errorDetail);
    case Error::Cancelled: return tr("cancelled");
    case Error::TooLarge:
        if (tooLarge == TooLarge::Headers)
            return tr("the response headers from %1 are larger than %2; the transfer was stopped").arg(where, ResponseLimit::format(sizeLimit));
        return tr("the response from %1 is larger than %2 (status %3; cut at %4 bytes, the transfer was stopped)")
            .arg(where, ResponseLimit::format(sizeLimit))
            .arg(status)
            .arg(body.size());
    }
    return {};
}
