#include "MatrixModel.h"

#include "MatrixVerdictStyle.h"

#include <QFont>

#include <algorithm>

namespace {
// A column's heading on a few short lines (the header grows taller, not the columns wider): what
// the column tests, then the scopes its token is asked for, one per line.
QString headerLines(const ScopeSet &set)
{
    QString what;
    switch (set.kind) {
    case ScopeSet::Kind::Needed:
        what = MatrixModel::tr("needed:");
        break;
    case ScopeSet::Kind::MissingScope:
        // One token serves every request whose needed scopes less one are these: which scope a
        // row lacks is its own cell's business (its tooltip), not the column's.
        what = MatrixModel::tr("one scope less; asks:");
        break;
    case ScopeSet::Kind::OnBehalfWithoutScope:
        what = MatrixModel::tr("on behalf, without\n%1; asks:").arg(set.removed.join(u' '));
        break;
    case ScopeSet::Kind::NoToken:
        return MatrixModel::tr("no token");
    }
    return what + u'\n' + (set.scopes.isEmpty() ? MatrixModel::tr("(no scope)") : set.scopes.join(u'\n'));
}

QString statusText(int status)
{
    return status > 0 ? QString::number(status) : QStringLiteral("—");
}
} // namespace

MatrixModel::MatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void MatrixModel::clear()
{
    setPlan({}, {});
}

void MatrixModel::setPlan(const MatrixPlan &plan, const QList<MatrixCell> &cells)
{
    setPlan(plan, cells, MatrixLayout::of(cells));
}

void MatrixModel::setPlan(const MatrixPlan &plan, const QList<MatrixCell> &cells, const MatrixLayout &layout)
{
    beginResetModel();
    m_plan = plan;
    m_cells = cells;
    m_layout = layout;
    m_states = QList<CellState>(cells.size(), CellState::Pending);
    m_results.clear();
    m_counts.clear();
    m_done = 0;
    endResetModel();
    Q_EMIT countsChanged();
}

void MatrixModel::resetCells(const QList<int> &cellIndexes)
{
    for (int cellIndex : cellIndexes) {
        if (cellIndex < 0 || cellIndex >= m_cells.size())
            continue;
        forget(cellIndex);
        m_states[cellIndex] = CellState::Pending;
        cellChanged(cellIndex);
    }
    Q_EMIT countsChanged();
}

void MatrixModel::setCellRunning(int cellIndex)
{
    if (cellIndex < 0 || cellIndex >= m_cells.size() || m_states.at(cellIndex) == CellState::Done)
        return;
    m_states[cellIndex] = CellState::Running;
    cellChanged(cellIndex);
}

void MatrixModel::setResult(int cellIndex, const MatrixCellResult &result)
{
    if (cellIndex < 0 || cellIndex >= m_cells.size())
        return;
    forget(cellIndex);
    m_results.insert(cellIndex, result);
    m_states[cellIndex] = CellState::Done;
    ++m_counts[int(result.verdict)];
    ++m_done;
    cellChanged(cellIndex);
    Q_EMIT countsChanged();
}

void MatrixModel::forget(int cellIndex)
{
    const auto old = m_results.constFind(cellIndex);
    if (old == m_results.cend())
        return;
    --m_counts[int(old->verdict)];
    --m_done;
    m_results.erase(old);
}

void MatrixModel::cellChanged(int cellIndex)
{
    const QModelIndex index = indexOfCell(cellIndex);
    Q_EMIT dataChanged(index, index);
}

std::optional<MatrixCellResult> MatrixModel::result(int cellIndex) const
{
    const auto found = m_results.constFind(cellIndex);
    if (found == m_results.cend())
        return std::nullopt;
    return *found;
}

QList<MatrixCellResult> MatrixModel::results() const
{
    QList<int> done = m_results.keys();
    std::sort(done.begin(), done.end());
    QList<MatrixCellResult> all;
    all.reserve(done.size());
    for (int cellIndex : std::as_const(done))
        all.append(m_results.value(cellIndex));
    return all;
}

QList<int> MatrixModel::failedCells() const
{
    QList<int> failed;
    for (auto it = m_results.cbegin(); it != m_results.cend(); ++it) {
        if (!it->passed())
            failed.append(it.key());
    }
    std::sort(failed.begin(), failed.end());
    return failed;
}

bool MatrixModel::rowHasFailure(int row) const
{
    for (int column = 0; column < m_layout.columns.size(); ++column) {
        const auto found = m_results.constFind(m_layout.cellAtOr(row, column));
        if (found != m_results.cend() && !found->passed())
            return true;
    }
    return false;
}

int MatrixModel::cellAt(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || index.column() < FirstSetColumn)
        return -1;
    return m_layout.cellAtOr(index.row(), index.column() - FirstSetColumn);
}

QModelIndex MatrixModel::indexOfCell(int cellIndex) const
{
    if (cellIndex < 0 || cellIndex >= m_layout.position.size())
        return {};
    const QPoint at = m_layout.position.at(cellIndex);
    return index(at.y(), FirstSetColumn + at.x());
}

int MatrixModel::columnOf(const QString &setKey) const
{
    const int column = m_layout.columnOfKey.value(setKey, -1);
    return column < 0 ? -1 : FirstSetColumn + column;
}

int MatrixModel::rowOfRequest(const QString &requestId) const
{
    for (int row = 0; row < m_layout.rows.size(); ++row) {
        if (m_plan.requests.at(m_layout.rows.at(row)).id == requestId)
            return row;
    }
    return -1;
}

int MatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_layout.rows.size());
}

int MatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstSetColumn + int(m_layout.columns.size());
}

QVariant MatrixModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_layout.rows.size() || index.column() >= columnCount())
        return {};
    const PlanRequest &request = m_plan.requests.at(m_layout.rows.at(index.row()));
    if (role == RequestIdRole)
        return request.id;
    if (index.column() < FirstSetColumn)
        return requestData(request, index.column(), role);
    const int cellIndex = m_layout.cellAtOr(index.row(), index.column() - FirstSetColumn);
    if (role == CellIndexRole)
        return cellIndex;
    if (cellIndex < 0) {
        switch (role) {
        case CellStateRole:
            return int(CellState::None);
        case VerdictRole:
            return -1;
        case FailedRole:
            return false;
        case SortRole:
            return 100;
        default:
            return {};
        }
    }
    return cellData(cellIndex, role);
}

QVariant MatrixModel::requestData(const PlanRequest &request, int column, int role) const
{
    const auto text = [&]() -> QString {
        switch (column) {
        case FolderColumn:
            return request.folder;
        case MethodColumn:
            return request.draft.method;
        case PathColumn:
            return request.draft.url;
        }
        return {};
    };
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        return text();
    case Qt::ToolTipRole:
        return column == PathColumn ? QStringLiteral("%1\n%2 %3").arg(request.name, request.draft.method, request.draft.url) : text();
    case CellStateRole:
        return int(CellState::None);
    case CellIndexRole:
    case VerdictRole:
        return -1;
    case FailedRole:
        return false;
    default:
        return {};
    }
}

QVariant MatrixModel::cellData(int cellIndex, int role) const
{
    const MatrixCell &cell = m_cells.at(cellIndex);
    const CellState state = m_states.at(cellIndex);
    const auto found = m_results.constFind(cellIndex);
    const MatrixCellResult *result = found == m_results.cend() ? nullptr : &*found;
    switch (role) {
    case Qt::DisplayRole:
        if (result)
            return result->verdict == MatrixVerdict::Skipped
                ? MatrixVerdictStyle::glyph(result->verdict)
                : QStringLiteral("%1 %2").arg(MatrixVerdictStyle::glyph(result->verdict), statusText(result->observedStatus));
        return state == CellState::Running ? QStringLiteral("…") : QStringLiteral("·");
    case Qt::BackgroundRole:
        if (result)
            return MatrixVerdictStyle::background(result->verdict);
        return {};
    case Qt::ForegroundRole:
        if (result)
            return MatrixVerdictStyle::foreground(result->verdict);
        return {};
    case Qt::FontRole:
        if (result && result->verdict == MatrixVerdict::OverPermissive) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        return int(Qt::AlignCenter);
    case Qt::ToolTipRole: {
        const QString expected = cell.expectedStatus > 0 ? QString::number(cell.expectedStatus) : tr("any 2xx");
        QString text = tr("%1 with %2").arg(m_plan.requests.at(cell.request).name, cell.set.label());
        if (!result)
            return text + u'\n' + (state == CellState::Running ? tr("Running; expects %1.").arg(expected) : tr("Not run yet; expects %1.").arg(expected));
        text += u'\n' + tr("%1: expected %2, observed %3.").arg(MatrixVerdictStyle::label(result->verdict), expected,
                                                              result->observedStatus > 0 ? QString::number(result->observedStatus) : tr("no answer"));
        if (!result->detail.isEmpty())
            text += u'\n' + result->detail;
        return text;
    }
    case CellStateRole:
        return int(state);
    case VerdictRole:
        return result ? int(result->verdict) : -1;
    case FailedRole:
        return result && !result->passed();
    case ObservedStatusRole:
        return result ? result->observedStatus : 0;
    case ExpectedStatusRole:
        return cell.expectedStatus;
    case SortRole:
        return result ? MatrixVerdictStyle::severity(result->verdict) : state == CellState::Running ? 50 : 60;
    default:
        return {};
    }
}

QVariant MatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        // The request's method and path head its row, in view however far the columns scroll.
        if (section < 0 || section >= m_layout.rows.size())
            return {};
        const PlanRequest &request = m_plan.requests.at(m_layout.rows.at(section));
        switch (role) {
        case Qt::DisplayRole:
            return QStringLiteral("%1 %2").arg(request.draft.method, request.draft.url);
        case Qt::ToolTipRole:
            return request.folder.isEmpty() ? request.name : QStringLiteral("%1 / %2").arg(request.folder, request.name);
        default:
            return {};
        }
    }
    if (section < FirstSetColumn) {
        if (role != Qt::DisplayRole)
            return {};
        switch (section) {
        case FolderColumn:
            return tr("Folder");
        case MethodColumn:
            return tr("Method");
        case PathColumn:
            return tr("Path");
        }
        return {};
    }
    const int column = section - FirstSetColumn;
    if (column >= m_layout.columns.size())
        return {};
    const ScopeSet &set = m_layout.columns.at(column);
    switch (role) {
    case Qt::DisplayRole:
        return headerLines(set);
    case Qt::ToolTipRole:
        if (set.kind == ScopeSet::Kind::NoToken)
            return tr("%1\nSent without an Authorization header.").arg(set.label());
        if (set.kind == ScopeSet::Kind::MissingScope)
            return tr("One token asked for exactly: %1\nEach request in this column lacks one scope it needs; its cell says which.")
                .arg(set.scopes.join(u' '));
        return tr("%1\nOne token asked for exactly: %2").arg(set.label(), set.scopes.isEmpty() ? tr("no scope") : set.scopes.join(u' '));
    default:
        return {};
    }
}
