#pragma once

#include "contract/ImportPlan.h"

#include <QList>
#include <QString>
#include <QStringList>

class Workspace;

// One thing an import does to a workspace, for the preview (GUI, `import --dry-run`) and the report.
struct ImportAction
{
    enum class Kind { Add, Update, Unchanged };
    enum class Item { Environment, Request };

    Kind kind = Kind::Add;
    Item item = Item::Environment;
    QString name;        // as it is (or will be) in the workspace: an added item may be renamed to be unique
    QString key;         // its ImportOrigin::key
    QStringList changes; // Update: what changes ("token URL", "required scopes"); Add: a renaming, if any

    static QString kindName(Kind kind);  // "add", "update", "unchanged"
    static QString itemName(Item item);  // "environment", "request"

    bool operator==(const ImportAction &other) const = default;
};

// The preview, or what apply() did.
struct ImportOutcome
{
    QList<ImportAction> actions;
    // The plan's own skipped items, then what the import leaves out itself: a literal credential
    // dropped from a request, an item the plan lists twice.
    QStringList skipped;

    int count(ImportAction::Kind kind, ImportAction::Item item) const;
};

// Brings an ImportPlan into a workspace. An item the workspace already holds from the same source
// (ImportOrigin::sameItem) is updated in place: it keeps its id (the keychain's key for its
// secrets), its name, and what the user chose — for an environment the client id, username,
// tier, client authentication, the scopes asked for, variable values, token parameters and
// context headers already there, trusted certificates; for a request its variable values, the
// scopes its token is asked for and its header switches — while the document's facts (URLs,
// grant, scope catalog, method, path, parameters, body, required scopes) are taken from the
// plan. New items are added under names made unique. Nothing is ever duplicated, and nothing the
// plan no longer lists is removed. Every request is scanned (CredentialScan) before it enters
// the workspace: a literal credential is dropped from it, or the whole request when the
// credential cannot be separated (its URL), and reported in skipped.
class WorkspaceImport
{
public:
    // What apply() would do, without changing anything.
    static ImportOutcome preview(const Workspace &workspace, const ImportPlan &plan);
    // Applies the plan; false with *error and the workspace unchanged when it cannot be applied.
    static bool apply(Workspace *workspace, const ImportPlan &plan, QString *error, ImportOutcome *outcome = nullptr);

    // The request with every literal credential removed, each removal described in *dropped;
    // nullopt (the reason in *dropped) when the credential cannot be taken out without the request.
    static std::optional<SavedRequest> withoutCredentials(SavedRequest request, QStringList *dropped);
};
