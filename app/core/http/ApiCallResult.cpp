#include "http/ApiCallResult.h"

#include "secrets/KnownSecrets.h"

using namespace Qt::StringLiterals;

QString ApiCallResult::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Answered: return u"answered"_s;
    case Outcome::NotSent: return u"not_sent"_s;
    case Outcome::Refused: return u"refused"_s;
    case Outcome::NeedsConfirmation: return u"needs_confirmation"_s;
    case Outcome::NeedsUploadConsent: return u"needs_upload_consent"_s;
    case Outcome::TokenFailed: return u"token_failed"_s;
    case Outcome::TransportFailed: return u"transport_failed"_s;
    case Outcome::Cancelled: return u"cancelled"_s;
    }
    return {};
}

void ApiCallResult::maskTexts(const KnownSecrets &known)
{
    const auto maskAll = [&known](QStringList &texts) {
        for (QString &text : texts)
            text = known.mask(text);
    };
    maskAll(problems);
    maskAll(notes);
    confirmation = known.mask(confirmation);
    tokenError = known.mask(tokenError);
    exchange.errorDetail = known.mask(exchange.errorDetail);
    exchange.reason = known.mask(exchange.reason);
    readout.summary = known.mask(readout.summary);
    maskAll(readout.details);
    readout.hint = known.mask(readout.hint);
    readout.errorCode = known.mask(readout.errorCode);
    readout.serverMessage = known.mask(readout.serverMessage);
    maskAll(readout.reasons);
    readout.challenges.rewriteValues([&known](const QString &value) { return known.mask(value); });
}
