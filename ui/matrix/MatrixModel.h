#pragma once

#include "MatrixLayout.h"
#include "matrix/MatrixCell.h"
#include "matrix/MatrixPlan.h"
#include "matrix/MatrixResult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

#include <optional>

// The scope matrix as a table: a row per request of the plan that has cells (its folder, method
// and path first; the vertical header says "METHOD path" too), a column per distinct scope set (ScopeSet::key, headed by its label), and in
// each cell the verdict and the status observed — empty where a request has no such set. Holds
// the plan, its cells and what the runner reported; the view only shows it.
class MatrixModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FolderColumn, MethodColumn, PathColumn, FirstSetColumn };
    enum class CellState { None, Pending, Running, Done };
    enum Role {
        CellIndexRole = Qt::UserRole + 1, // int: index into cells(); -1 where the request has no such set
        CellStateRole,                    // int (CellState)
        VerdictRole,                      // int (MatrixVerdict); -1 before a result
        FailedRole,                       // bool: a result other than as expected or skipped
        ObservedStatusRole,               // int; 0: no answer
        ExpectedStatusRole,               // int; 0: any 2xx
        SortRole,                         // worst verdict first in a set column; the text elsewhere
        RequestIdRole,                    // QString, any column
    };

    explicit MatrixModel(QObject *parent = nullptr);

    // A new plan: every cell pending, no result. The layout is MatrixLayout::of(cells), worked
    // out beforehand for a big plan.
    void setPlan(const MatrixPlan &plan, const QList<MatrixCell> &cells);
    void setPlan(const MatrixPlan &plan, const QList<MatrixCell> &cells, const MatrixLayout &layout);
    void clear();
    const MatrixPlan &plan() const { return m_plan; }
    const QList<MatrixCell> &cells() const { return m_cells; }

    // The cells about to run again: pending, their old results gone.
    void resetCells(const QList<int> &cellIndexes);
    void setCellRunning(int cellIndex);
    void setResult(int cellIndex, const MatrixCellResult &result);
    std::optional<MatrixCellResult> result(int cellIndex) const;
    // Every result so far, in the cells' order.
    QList<MatrixCellResult> results() const;
    // The cells whose verdict is a failure (MatrixCellResult::passed() false).
    QList<int> failedCells() const;
    bool rowHasFailure(int row) const;
    int doneCount() const { return m_done; }
    int count(MatrixVerdict verdict) const { return m_counts.value(int(verdict)); }

    int cellAt(const QModelIndex &index) const;
    QModelIndex indexOfCell(int cellIndex) const;
    // The column a scope set key heads; -1 when none does.
    int columnOf(const QString &setKey) const;
    int rowOfRequest(const QString &requestId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // A result arrived or went: the legend and summary count again.
    void countsChanged();

private:
    QVariant requestData(const PlanRequest &request, int column, int role) const;
    QVariant cellData(int cellIndex, int role) const;
    void forget(int cellIndex);
    void cellChanged(int cellIndex);

    MatrixPlan m_plan;
    QList<MatrixCell> m_cells;
    MatrixLayout m_layout;
    QList<CellState> m_states;
    QHash<int, MatrixCellResult> m_results; // by cell index; only the cells with one
    QHash<int, int> m_counts;         // per verdict
    int m_done = 0;
};
