#include "http/ProductionGuard.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

bool ProductionGuard::isSafeMethod(const QString &method)
{
    // RFC 9110 §9.2.1 also counts TRACE as safe, but Tokenbench never sends it.
    const QString upper = method.trimmed().toUpper();
    return upper == u"GET"_s || upper == u"HEAD"_s || upper == u"OPTIONS"_s;
}

bool ProductionGuard::needsConfirmation(const Environment &environment, const QString &method)
{
    return environment.tier == Tier::Production && !isSafeMethod(method);
}

QString ProductionGuard::confirmationText(const Environment &environment, const QString &method, const QUrl &url)
{
    return QCoreApplication::translate("ProductionGuard", "%1 %2 to the PRODUCTION environment \"%3\" may change live data.")
        .arg(method.trimmed().toUpper(), url.toDisplayString(QUrl::RemoveUserInfo), environment.name);
}
