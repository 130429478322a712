#include "demo/DemoScopes.h"

#include <algorithm>

const QList<DemoScope> &DemoScopes::all()
{
    // Shaped after the seed APIs (Cybrid, Cymbio, Cyclr): resource:action names with read /
    // write / execute levels, plus the delegation scope that guards X-On-Behalf-Of.
    static const QList<DemoScope> scopes = {
        {QStringLiteral("accounts:read"), QStringLiteral("List and read accounts and their balances")},
        {QStringLiteral("accounts:execute"), QStringLiteral("Create accounts")},
        {QStringLiteral("trades:read"), QStringLiteral("List and read trades")},
        {QStringLiteral("trades:execute"), QStringLiteral("Place trades")},
        {QStringLiteral("customers:read"), QStringLiteral("List and read customers")},
        {QStringLiteral("customers:write"), QStringLiteral("Update customer details")},
        {QStringLiteral("customers:execute"), QStringLiteral("Create customers")},
        {QStringLiteral("transfers:read"), QStringLiteral("List and read transfers")},
        {QStringLiteral("transfers:execute"), QStringLiteral("Start transfers between accounts")},
        {QStringLiteral("core.users:act-on-behalf-of"),
         QStringLiteral("Call the API on behalf of a user named in the X-On-Behalf-Of header")},
    };
    return scopes;
}

bool DemoScopes::contains(const QString &name)
{
    const auto &scopes = all();
    return std::any_of(scopes.cbegin(), scopes.cend(),
                       [&name](const DemoScope &scope) { return scope.name == name; });
}
