#pragma once

#include "matrix/MatrixCell.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// The tokens a matrix run's cells need, in the order they are first needed: one per distinct
// scope set (MatrixTokens::keyFor), with the columns each one serves. With an interactive grant
// each is a browser consent or a user code, and its prompt says which scopes it is for and why
// (the CLI on stderr, the GUI's matrix prompt), so a person knows what they approve.
class MatrixTokenPlan
{
public:
    MatrixTokenPlan() = default;
    explicit MatrixTokenPlan(const QList<MatrixCell> &cells);

    int count() const { return int(m_order.size()); }
    // 0-based position of the token for exactly these scopes; -1 when no cell needs it.
    int indexOf(const QStringList &scopes) const;
    // The columns (ScopeSet::label) that use the token for these scopes.
    QStringList columns(const QStringList &scopes) const;
    // "the scopes a b (scope set 1 of 2), used by the column needed: a b"; "no scope (…)" for an
    // empty set; for scopes no cell asked for (a run's cells changed), just the scopes.
    QString describe(const QStringList &scopes) const;

    // "the scopes a b", or "no scope".
    static QString scopesText(const QStringList &scopes);

private:
    QStringList m_order;                // MatrixTokens::keyFor of each token, first needed first
    QHash<QString, QStringList> m_columns;
};
