#include "jwt/SignatureCheck.h"

using namespace Qt::StringLiterals;

QString SignatureCheck::statusName(Status status)
{
    switch (status) {
    case Status::NotChecked: return u"not_checked"_s;
    case Status::Verified: return u"verified"_s;
    case Status::Invalid: return u"invalid"_s;
    case Status::Refused: return u"refused"_s;
    case Status::NoKey: return u"no_key"_s;
    case Status::Failed: return u"failed"_s;
    }
    return {};
}

QString SignatureCheck::summary() const
{
    switch (status) {
    case Status::Verified:
        return u"signature verified with key kid=%1 (%2)"_s.arg(keyId.isEmpty() ? u"(none)"_s : keyId, algorithm);
    case Status::NotChecked:
        return u"signature not checked: %1"_s.arg(reason);
    default:
        return u"signature NOT verified: %1"_s.arg(reason);
    }
}
