#include "ImportReport.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

QString ImportReport::environmentName(const QString &key) const
{
    for (const ImportAction &action : m_outcome.actions) {
        if (action.item == ImportAction::Item::Environment && action.key == key)
            return action.name;
    }
    return key;
}

QString ImportReport::text() const
{
    QString out;
    out += u"%1 \"%2\"%3 from %4\n"_s.arg(m_plan.sourceKind, m_plan.title,
                                           m_plan.version.isEmpty() ? QString() : u", version %1"_s.arg(m_plan.version), m_file);
    for (const ImportAction &action : m_outcome.actions) {
        if (action.kind == ImportAction::Kind::Unchanged)
            continue;
        out += u"  %1 %2 \"%3\""_s.arg(ImportAction::kindName(action.kind), ImportAction::itemName(action.item), action.name);
        if (!action.changes.isEmpty())
            out += u": "_s + action.changes.join(u", "_s);
        out += u'\n';
    }
    using Kind = ImportAction::Kind;
    using Item = ImportAction::Item;
    const auto counts = [this](Kind kind) {
        return u"%1 environment(s), %2 request(s)"_s.arg(m_outcome.count(kind, Item::Environment))
            .arg(m_outcome.count(kind, Item::Request));
    };
    out += u"%1: %2 added; %3 updated; %4 unchanged.\n"_s.arg(m_dryRun ? u"Would change"_s : u"Changed"_s, counts(Kind::Add),
                                                               counts(Kind::Update), counts(Kind::Unchanged));
    if (!m_outcome.skipped.isEmpty()) {
        out += u"Skipped:\n"_s;
        for (const QString &line : m_outcome.skipped)
            out += u"  - %1\n"_s.arg(line);
    }
    if (!m_plan.notes.isEmpty()) {
        out += u"Notes:\n"_s;
        for (const QString &line : m_plan.notes)
            out += u"  - %1\n"_s.arg(line);
    }
    if (!m_plan.inputs.isEmpty()) {
        out += u"To fill in before a token can be had:\n"_s;
        for (const ImportPlan::Input &input : m_plan.inputs) {
            out += u"  - %1: %2 — %3%4\n"_s.arg(environmentName(input.environmentKey), input.name, input.description,
                                                input.defaultValue.isEmpty() ? QString() : u" (now %1)"_s.arg(input.defaultValue));
        }
    }
    out += m_dryRun ? u"Dry run: the workspace was not changed.\n"_s : QString();
    return out;
}

QJsonObject ImportReport::toJson() const
{
    QJsonArray actions;
    for (const ImportAction &action : m_outcome.actions) {
        actions.append(QJsonObject{{u"action"_s, ImportAction::kindName(action.kind)},
                                   {u"item"_s, ImportAction::itemName(action.item)},
                                   {u"name"_s, action.name},
                                   {u"key"_s, action.key},
                                   {u"changes"_s, QJsonArray::fromStringList(action.changes)}});
    }
    QJsonArray inputs;
    for (const ImportPlan::Input &input : m_plan.inputs) {
        inputs.append(QJsonObject{{u"environment"_s, environmentName(input.environmentKey)},
                                  {u"key"_s, input.environmentKey},
                                  {u"name"_s, input.name},
                                  {u"description"_s, input.description},
                                  {u"default"_s, input.defaultValue}});
    }
    const auto counts = [this](ImportAction::Kind kind) {
        return QJsonObject{{u"environments"_s, m_outcome.count(kind, ImportAction::Item::Environment)},
                           {u"requests"_s, m_outcome.count(kind, ImportAction::Item::Request)}};
    };
    return QJsonObject{
        {u"source"_s, QJsonObject{{u"kind"_s, m_plan.sourceKind},
                                   {u"title"_s, m_plan.title},
                                   {u"document"_s, m_plan.document},
                                   {u"version"_s, m_plan.version},
                                   {u"file"_s, m_file}}},
        {u"dry_run"_s, m_dryRun},
        {u"added"_s, counts(ImportAction::Kind::Add)},
        {u"updated"_s, counts(ImportAction::Kind::Update)},
        {u"unchanged"_s, counts(ImportAction::Kind::Unchanged)},
        {u"actions"_s, actions},
        {u"skipped"_s, QJsonArray::fromStringList(m_outcome.skipped)},
        {u"notes"_s, QJsonArray::fromStringList(m_plan.notes)},
        {u"inputs"_s, inputs},
    };
}
