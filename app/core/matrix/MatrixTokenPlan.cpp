#include "matrix/MatrixTokenPlan.h"

#include "matrix/MatrixTokens.h"

#include <QCoreApplication>

MatrixTokenPlan::MatrixTokenPlan(const QList<MatrixCell> &cells)
{
    for (const MatrixCell &cell : cells) {
        if (cell.set.kind == ScopeSet::Kind::NoToken)
            continue;
        const QString key = MatrixTokens::keyFor(cell.set.scopes);
        if (!m_columns.contains(key))
            m_order.append(key);
        QStringList &labels = m_columns[key];
        if (const QString label = cell.set.label(); !labels.contains(label))
            labels.append(label);
    }
}

int MatrixTokenPlan::indexOf(const QStringList &scopes) const
{
    return int(m_order.indexOf(MatrixTokens::keyFor(scopes)));
}

QStringList MatrixTokenPlan::columns(const QStringList &scopes) const
{
    return m_columns.value(MatrixTokens::keyFor(scopes));
}

QString MatrixTokenPlan::scopesText(const QStringList &scopes)
{
    if (scopes.isEmpty())
        return QCoreApplication::translate("MatrixTokenPlan", "no scope");
    return QCoreApplication::translate("MatrixTokenPlan", "the scopes %1").arg(scopes.join(QLatin1Char(' ')));
}

QString MatrixTokenPlan::describe(const QStringList &scopes) const
{
    const int index = indexOf(scopes);
    if (index < 0)
        return scopesText(scopes);
    const QStringList used = columns(scopes);
    return (used.size() == 1 ? QCoreApplication::translate("MatrixTokenPlan", "%1 (scope set %2 of %3), used by the column %4")
                             : QCoreApplication::translate("MatrixTokenPlan", "%1 (scope set %2 of %3), used by the columns %4"))
        .arg(scopesText(scopes))
        .arg(index + 1)
        .arg(count())
        .arg(used.join(QStringLiteral("; ")));
}
