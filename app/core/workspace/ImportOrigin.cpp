#include "workspace/ImportOrigin.h"

#include "util/JsonFieldReader.h"

using namespace Qt::StringLiterals;

QJsonObject ImportOrigin::toJson() const
{
    QJsonObject json{{u"document"_s, document}, {u"key"_s, key}};
    if (!version.isEmpty())
        json.insert(u"version"_s, version);
    return json;
}

bool ImportOrigin::read(JsonFieldReader &reader, ImportOrigin *out)
{
    ImportOrigin origin;
    if (!reader.string(u"document"_s, &origin.document) || !reader.string(u"key"_s, &origin.key)
        || !reader.string(u"version"_s, &origin.version))
        return false;
    if (origin.document.isEmpty())
        return reader.fail(u"document"_s, u"an import origin needs the document it came from"_s);
    *out = origin;
    return true;
}
