#include "workspace/SavedRequest.h"

#include "util/JsonFieldReader.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {
const QStringList entryKeys = {u"id"_s,      u"name"_s,           u"folder"_s,        u"summary"_s,
                               u"request"_s, u"requiredScopes"_s, u"successStatus"_s, u"origin"_s};
} // namespace

QJsonObject SavedRequest::toJson() const
{
    QJsonObject entry{{u"id"_s, id}, {u"name"_s, name}, {u"request"_s, draft.toJson(&draftUnknownFields)}};
    if (!folder.isEmpty())
        entry.insert(u"folder"_s, folder);
    if (!summary.isEmpty())
        entry.insert(u"summary"_s, summary);
    if (!requiredScopes.isEmpty()) {
        QJsonArray alternatives;
        for (const ScopeRequirement &requirement : requiredScopes)
            alternatives.append(QJsonObject{{u"scheme"_s, requirement.scheme}, {u"scopes"_s, QJsonArray::fromStringList(requirement.scopes)}});
        entry.insert(u"requiredScopes"_s, alternatives);
    }
    if (successStatus != 0)
        entry.insert(u"successStatus"_s, successStatus);
    if (!origin.isEmpty())
        entry.insert(u"origin"_s, origin.toJson());
    unknownFields.writeInto(QString(), &entry);
    return entry;
}

std::optional<SavedRequest> SavedRequest::fromJson(JsonFieldReader &entry, QString *error)
{
    SavedRequest request;
    const auto fail = [&](const QString &problem = {}) -> std::optional<SavedRequest> {
        const QString what = problem.isEmpty() ? entry.error() : problem;
        *error = request.name.isEmpty() ? what : u"saved request \"%1\": %2"_s.arg(request.name, what);
        return std::nullopt;
    };
    if (!entry.string(u"id"_s, &request.id) || !entry.string(u"name"_s, &request.name) || !entry.string(u"folder"_s, &request.folder)
        || !entry.string(u"summary"_s, &request.summary))
        return fail();
    request.name = request.name.trimmed();
    request.folder = request.folder.trimmed();
    if (request.name.isEmpty()) {
        entry.fail(u"name"_s, u"a saved request needs a name"_s);
        return fail();
    }
    qint64 status = 0;
    if (!entry.integer(u"successStatus"_s, &status, 0, 599))
        return fail();
    request.successStatus = int(status);
    const bool scopesRead = entry.objectList(u"requiredScopes"_s, [&](JsonFieldReader &alternative) {
        ScopeRequirement requirement;
        if (!alternative.string(u"scheme"_s, &requirement.scheme) || !alternative.stringList(u"scopes"_s, &requirement.scopes))
            return false;
        request.requiredScopes.append(requirement);
        return true;
    });
    if (!scopesRead)
        return fail();
    if (entry.has(u"origin"_s) && !entry.object(u"origin"_s, [&](JsonFieldReader &nested) { return ImportOrigin::read(nested, &request.origin); }))
        return fail();
    if (!entry.required(u"request"_s))
        return fail();
    if (!entry.object().value(u"request"_s).isObject()) {
        entry.fail(u"request"_s, u"expected an object, found %1"_s.arg(JsonFieldReader::typeName(entry.object().value(u"request"_s))));
        return fail();
    }
    QString problem;
    auto draft = RequestDraft::fromJson(entry.object().value(u"request"_s).toObject(), &problem, &request.draftUnknownFields,
                                        entry.pathOf(u"request"_s));
    if (!draft)
        return fail(problem);
    request.draft = std::move(*draft);
    request.unknownFields.set(QString(), entry.unknownMembers(entryKeys));
    return request;
}
