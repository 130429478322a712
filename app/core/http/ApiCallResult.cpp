#include "http/ApiCallResult.h"

using namespace Qt::StringLiterals;

QString ApiCallResult::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Answered: return u"answered"_s;
    case Outcome::NotSent: return u"not_sent"_s;
    case Outcome::Refused: return u"refused"_s;
    case Outcome::NeedsConfirmation: return u"needs_confirmation"_s;
    case Outcome::TokenFailed: return u"token_failed"_s;
    case Outcome::TransportFailed: return u"transport_failed"_s;
    case Outcome::Cancelled: return u"cancelled"_s;
    }
    return {};
}
