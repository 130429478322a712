#include "matrix/MatrixHistory.h"

#include "history/HistoryRecorder.h"
#include "history/HistoryWriter.h"
#include "http/ApiCallResult.h"
#include "matrix/MatrixResult.h"
#include "matrix/MatrixRunner.h"
#include "secrets/KnownSecrets.h"

MatrixHistory::MatrixHistory(HistoryWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{
}

void MatrixHistory::follow(MatrixRunner *runner, const Environment &environment, const QString &planTitle, const Redactor &redactor)
{
    if (m_runner)
        disconnect(m_runner, nullptr, this, nullptr);
    m_runner = runner;
    m_environment = environment;
    m_planTitle = planTitle;
    m_base = redactor;
    m_secretsKnown = -1;
    connect(runner, &MatrixRunner::exchanged, this, &MatrixHistory::record);
}

QString MatrixHistory::originOf(const QString &planTitle, const MatrixCellResult &result)
{
    QString origin = planTitle.isEmpty() ? tr("Scope matrix: %1 — %2").arg(result.column, MatrixCellResult::verdictLabel(result.verdict))
                                         : tr("Scope matrix, %1: %2 — %3")
                                               .arg(planTitle, result.column, MatrixCellResult::verdictLabel(result.verdict));
    if (!result.detail.isEmpty())
        origin += QStringLiteral(": ") + result.detail;
    return origin;
}

void MatrixHistory::record(const MatrixCellResult &result, const ApiCallResult &call, const RequestDraft &draft)
{
    if (!m_runner)
        return;
    // A token minted since the last exchange is one more secret to mask.
    const QStringList secrets = m_runner->knownSecrets().values();
    if (secrets.size() != m_secretsKnown) {
        Redactor redactor = m_base;
        for (const QString &secret : secrets)
            redactor.addSecret(secret);
        m_writer->setRedactor(redactor);
        m_secretsKnown = secrets.size();
    }
    HistoryEntry entry = HistoryRecorder::entryFor(m_environment.id, &m_environment, draft, call);
    entry.environmentName = m_environment.name;
    entry.origin = originOf(m_planTitle, result);
    m_writer->add(entry);
}
