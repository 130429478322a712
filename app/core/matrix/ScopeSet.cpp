#include "matrix/ScopeSet.h"

#include <QCoreApplication>

QString ScopeSet::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Needed:
        return QStringLiteral("needed");
    case Kind::MissingScope:
        return QStringLiteral("without");
    case Kind::NoToken:
        return QStringLiteral("no-token");
    case Kind::OnBehalfWithoutScope:
        return QStringLiteral("on-behalf");
    }
    return {};
}

QString ScopeSet::key() const
{
    if (kind == Kind::NoToken)
        return kindName(kind);
    return kindName(kind) + QLatin1Char(':') + scopes.join(QLatin1Char(' '));
}

QString ScopeSet::label() const
{
    const QString removedText = removed.join(QStringLiteral(", "));
    QString text;
    switch (kind) {
    case Kind::Needed:
        return scopes.isEmpty() ? QCoreApplication::translate("ScopeSet", "needed: (no scope)")
                                : QCoreApplication::translate("ScopeSet", "needed: %1").arg(scopes.join(QLatin1Char(' ')));
    case Kind::MissingScope:
        text = QCoreApplication::translate("ScopeSet", "without %1").arg(removedText);
        break;
    case Kind::NoToken:
        return QCoreApplication::translate("ScopeSet", "no token");
    case Kind::OnBehalfWithoutScope:
        text = QCoreApplication::translate("ScopeSet", "on behalf, without %1").arg(removedText);
        break;
    }
    if (!substitute.isEmpty())
        text += QCoreApplication::translate("ScopeSet", " (asking for %1 instead)").arg(substitute);
    return text;
}
