#include "http/InjectedHeader.h"

using namespace Qt::StringLiterals;

QString InjectedHeader::maskAuthorization(const QByteArray &value)
{
    // Keep the scheme so "Bearer ••••" still says what kind of credential went.
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    if (space < 0)
        return trimmed.isEmpty() ? QString() : u"••••"_s;
    return QString::fromLatin1(trimmed.left(space)) + u" ••••"_s;
}

QString InjectedHeader::displayValue() const
{
    return secret ? maskAuthorization(value) : QString::fromUtf8(value);
}

QString InjectedHeader::stateName(State state)
{
    switch (state) {
    case State::Sent: return u"sent"_s;
    case State::Disabled: return u"disabled"_s;
    case State::ReplacedByRequestHeader: return u"replaced_by_request_header"_s;
    case State::Withheld: return u"withheld_by_origin_guard"_s;
    }
    return {};
}
