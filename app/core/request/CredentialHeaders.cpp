#include "request/CredentialHeaders.h"

#include <algorithm>

using namespace Qt::StringLiterals;

QList<QByteArray> CredentialHeaders::names()
{
    return {"Authorization"_ba, "Proxy-Authorization"_ba, "Cookie"_ba, "X-Api-Key"_ba, "Api-Key"_ba, "X-Auth-Token"_ba,
            "X-Access-Token"_ba, "Ocp-Apim-Subscription-Key"_ba};
}

bool CredentialHeaders::contains(QByteArrayView name)
{
    const QByteArrayView trimmed = name.trimmed();
    const QList<QByteArray> known = names();
    return std::any_of(known.cbegin(), known.cend(),
                       [trimmed](const QByteArray &entry) { return trimmed.compare(entry, Qt::CaseInsensitive) == 0; });
}
