#pragma once

#include "history/Redactor.h"
#include "workspace/Environment.h"

#include <QObject>
#include <QPointer>
#include <QString>

class HistoryWriter;
class MatrixRunner;
struct ApiCallResult;
struct MatrixCellResult;
struct RequestDraft;

// Records a matrix run's exchanges in the history as the composer's sends are recorded
// (HistoryRecorder: the wire exchange, the injected headers, the request as sent with the
// environment's fingerprint, so Replay can send a cell again), each marked with its origin
// ("Scope matrix, <plan>: <column> — <verdict>: <detail>"). They are redacted with the history's
// redactor plus every secret and token of the run, and written by a HistoryWriter: in batches,
// off the thread the run goes on.
class MatrixHistory : public QObject
{
    Q_OBJECT

public:
    explicit MatrixHistory(HistoryWriter *writer, QObject *parent = nullptr);

    // Records the exchanges of this run from now on. environment: as the workspace holds it
    // (not resolved for the Demo), so its fingerprint is the composer's; redactor: the history's
    // (its choice to keep secrets, the secrets it knows); the run's secrets are added to it.
    void follow(MatrixRunner *runner, const Environment &environment, const QString &planTitle, const Redactor &redactor);

    // The origin an exchange of this cell is recorded with.
    static QString originOf(const QString &planTitle, const MatrixCellResult &result);

private:
    void record(const MatrixCellResult &result, const ApiCallResult &call, const RequestDraft &draft);

    HistoryWriter *m_writer;
    QPointer<MatrixRunner> m_runner;
    Environment m_environment;
    QString m_planTitle;
    Redactor m_base;
    qsizetype m_secretsKnown = -1; // the run's secrets the writer's redactor has
};
