#include "EnvironmentScopeCatalog.h"

#include "demo/DemoScopes.h"

#include <algorithm>

ScopeCatalog EnvironmentScopeCatalog::of(const Environment &environment)
{
    ScopeCatalog catalog;
    if (environment.isBuiltinDemo()) {
        for (const auto &scope : DemoScopes::all())
            catalog.append(ScopeInfo::classify(scope.name, scope.description));
    }
    // An imported environment offers exactly what its API documents, in the document's words.
    if (!environment.isBuiltinDemo() && !environment.scopeCatalog.isEmpty()) {
        for (const CatalogScope &scope : environment.scopeCatalog)
            catalog.append(ScopeInfo::classify(scope.name, scope.description));
        return catalog;
    }
    // A profile typed by hand: its own scopes are its catalog.
    for (const auto &name : environment.scopes) {
        const bool listed = std::any_of(catalog.cbegin(), catalog.cend(), [&name](const ScopeInfo &s) { return s.name == name; });
        if (!listed)
            catalog.append(ScopeInfo::classify(name));
    }
    return catalog;
}
