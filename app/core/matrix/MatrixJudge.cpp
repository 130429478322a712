#include "matrix/MatrixJudge.h"

#include "http/ApiCallResult.h"
#include "matrix/MatrixCell.h"
#include "oauth/AccessToken.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("MatrixJudge", text);
}

QString listed(const QStringList &scopes)
{
    return scopes.join(u" and "_s);
}

bool isSuccess(int status)
{
    return status >= 200 && status < 300;
}

// Why the call has no answer, in one sentence.
QString unanswered(const ApiCallResult &result)
{
    switch (result.outcome) {
    case ApiCallResult::Outcome::Answered:
        return {};
    case ApiCallResult::Outcome::NotSent:
        return tr("not sent: %1").arg(result.problems.join(u"; "_s));
    case ApiCallResult::Outcome::Refused:
        return tr("refused: %1").arg(result.problems.join(u"; "_s));
    case ApiCallResult::Outcome::NeedsConfirmation:
        return tr("not sent: %1").arg(result.confirmation);
    case ApiCallResult::Outcome::NeedsUploadConsent:
        return tr("not sent: local files would go to an origin the environment does not trust");
    case ApiCallResult::Outcome::TokenFailed:
        return tr("no token for %1: %2")
            .arg(result.scopes.isEmpty() ? tr("no scope") : result.scopes.join(u' '), result.tokenError.summary());
    case ApiCallResult::Outcome::TransportFailed:
        return tr("no answer: %1").arg(result.exchange.errorText());
    case ApiCallResult::Outcome::Cancelled:
        return tr("cancelled");
    }
    return {};
}
} // namespace

QString MatrixJudge::expectedText(int expectedStatus)
{
    return expectedStatus == 0 ? u"2xx"_s : QString::number(expectedStatus);
}

int MatrixJudge::expectedStatus(const MatrixCell &cell)
{
    if (cell.expectedStatus != 0 || cell.set.kind == ScopeSet::Kind::Needed)
        return cell.expectedStatus;
    return cell.set.kind == ScopeSet::Kind::NoToken ? 401 : 403;
}

std::optional<MatrixJudge::Judgement> MatrixJudge::beforeSending(const MatrixCell &cell, const AccessToken &token, QString *note)
{
    if (cell.set.kind != ScopeSet::Kind::MissingScope && cell.set.kind != ScopeSet::Kind::OnBehalfWithoutScope)
        return std::nullopt;
    if (token.scopeSource == AccessToken::ScopeSource::NotReported) {
        if (note)
            *note = tr("the token server did not say which scopes it granted, so the token may hold %1 anyway").arg(listed(cell.set.removed));
        return std::nullopt;
    }
    QStringList granted;
    for (const QString &scope : cell.set.removed) {
        if (token.grantedScopes.contains(scope))
            granted.append(scope);
    }
    if (granted.isEmpty())
        return std::nullopt;
    return Judgement{MatrixVerdict::CannotTest,
                     tr("cannot test: the server granted %1 anyway (asked for %2)")
                         .arg(listed(granted), cell.set.scopes.isEmpty() ? tr("no scope") : cell.set.scopes.join(u' '))};
}

MatrixJudge::Judgement MatrixJudge::judge(const MatrixCell &cell, const ApiCallResult &result)
{
    if (!result.answered())
        return {MatrixVerdict::Error, unanswered(result)};

    const int status = result.exchange.status;
    const int expected = expectedStatus(cell);
    const QString got = tr("expected %1, got %2").arg(expectedText(expected)).arg(status);
    const QString why = result.readout.summary.isEmpty() ? got : got + u": "_s + result.readout.summary;

    if (cell.set.kind == ScopeSet::Kind::Needed) {
        if (expected == 0 ? isSuccess(status) : status == expected)
            return {MatrixVerdict::AsExpected, tr("got %1 with the needed scopes").arg(status)};
        if (status == 401 || status == 403)
            return {MatrixVerdict::UnexpectedDenial, why};
        return {MatrixVerdict::Error, why};
    }

    if (status == expected)
        return {MatrixVerdict::AsExpected, tr("denied with %1 as expected").arg(status)};
    if (isSuccess(status)) {
        switch (cell.set.kind) {
        case ScopeSet::Kind::NoToken:
            return {MatrixVerdict::OverPermissive, tr("%1: the endpoint answers without a token").arg(got)};
        case ScopeSet::Kind::OnBehalfWithoutScope:
            return {MatrixVerdict::OverPermissive,
                    tr("%1: the endpoint acts on behalf of a user for a token without %2").arg(got, listed(cell.set.removed))};
        case ScopeSet::Kind::MissingScope:
        case ScopeSet::Kind::Needed:
            break;
        }
        return {MatrixVerdict::OverPermissive, tr("%1: the endpoint does not check %2").arg(got, listed(cell.set.removed))};
    }
    return {MatrixVerdict::Error, why};
}
