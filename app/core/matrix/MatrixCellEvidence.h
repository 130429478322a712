#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <memory>

class MatrixEvidence;
struct ApiCallResult;

// A cell's evidence (MatrixEvidence: the exchange redacted as the history redacts it), built the
// first time something reads it — a report, a finding printed, a click in the GUI — rather than
// as every cell finishes: most cells pass, and most runs only ever read the failures'. It is
// built with the redactor the run had when the cell finished, so it reads exactly as if built
// then. Copies share one state; building happens once, from any thread (the GUI's exporter writes
// reports on a worker thread). A call with large bodies is built at once instead, so a run
// never holds whole bodies it would only cut.
class MatrixCellEvidence
{
public:
    // The request and response bodies (together) above which the evidence is built at once.
    static constexpr qsizetype MaxPendingBodyBytes = 64 * 1024;

    MatrixCellEvidence() = default;
    // Evidence already built (read back from a report).
    MatrixCellEvidence(const QJsonObject &json); // NOLINT(google-explicit-constructor): a report's evidence is its JSON
    // The evidence of this call, redacted by masker (the run's, kept alive while pending).
    static MatrixCellEvidence of(std::shared_ptr<const MatrixEvidence> masker, const ApiCallResult &call, const QString &environmentId);

    // The evidence as JSON (MatrixEvidence::of's shape); empty when the cell has none.
    QJsonObject json() const;
    QJsonValue value(const QString &key) const { return json().value(key); }
    bool contains(const QString &key) const { return json().contains(key); }
    // Whether there is evidence, without building it.
    bool isEmpty() const;
    // Whether it has been built (for tests and the benchmark's claims).
    bool isBuilt() const;

    bool operator==(const MatrixCellEvidence &other) const { return json() == other.json(); }

private:
    struct State;
    std::shared_ptr<State> m_state;
};
