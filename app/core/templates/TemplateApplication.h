#pragma once

#include "contract/ImportPlan.h"
#include "templates/ApiTemplate.h"
#include "workspace/Environment.h"
#include "workspace/SavedRequest.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// What the user chose to make of a template: the new environment's name, its tier (nullopt: the
// template's first documented one, or custom when the seed names none), the kind of token (empty:
// the first), and the values of its asks ({{name}} → value).
struct TemplateChoice
{
    QString environmentName;
    std::optional<Tier> tier;
    QString kind;
    QList<QPair<QString, QString>> values;
};

// Turns an ApiTemplate and a TemplateChoice into the environment and the saved requests it
// describes. Nothing is invented: an ask without a value is refused (missingAsks names them),
// and every value is checked for what it must be (a host, an http(s) URL, one line of text).
class TemplateApplication
{
public:
    // The required asks the choice gives no value for, in the template's order.
    static QList<ApiTemplate::Ask> missingAsks(const ApiTemplate &apiTemplate, const TemplateChoice &choice);
    // The environment, its origin "template:<id>"; nullopt with *error when a value is missing or
    // wrong, the tier is not one the template documents, or the kind is unknown.
    static std::optional<Environment> environment(const ApiTemplate &apiTemplate, const TemplateChoice &choice, QString *error);
    // The template's example requests, each with origin "template:<id>" and its name as key.
    static QList<SavedRequest> requests(const ApiTemplate &apiTemplate);
    // The environment and the example requests as an ImportPlan (sourceKind "Template", document
    // "template:<id>", the notes, the asks as inputs) for WorkspaceImport; nullopt with *error as
    // environment().
    static std::optional<ImportPlan> plan(const ApiTemplate &apiTemplate, const TemplateChoice &choice, QString *error);
    // The example requests alone as a plan: what `env add --template` and the GUI bring beside the
    // environment they add themselves.
    static ImportPlan requestPlan(const ApiTemplate &apiTemplate);
    // What the user should know when the template is applied at this tier: the tier's note (the
    // Cymbio typo fixed), the template's notes.
    static QStringList notes(const ApiTemplate &apiTemplate, Tier tier);
    // The tier a choice without one gets.
    static Tier defaultTier(const ApiTemplate &apiTemplate);
    // Whether value is acceptable for the ask; *why says what is wrong.
    static bool acceptable(const ApiTemplate::Ask &ask, const QString &value, QString *why);

    static QString originDocument(const ApiTemplate &apiTemplate) { return QStringLiteral("template:") + apiTemplate.id; }
};
