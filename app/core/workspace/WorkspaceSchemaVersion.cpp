#include "workspace/WorkspaceSchemaVersion.h"

#include "util/JsonFieldReader.h"
#include "workspace/Workspace.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

WorkspaceSchemaVersion::Check WorkspaceSchemaVersion::check(const QJsonObject &root)
{
    Check result;
    JsonFieldReader reader(root);
    qint64 version = 0;
    if (!reader.required(u"schemaVersion"_s) || !reader.integer(u"schemaVersion"_s, &version, 1, std::numeric_limits<int>::max())) {
        result.message = reader.error();
        return result;
    }
    result.version = int(version);
    if (version > Workspace::SchemaVersion) {
        result.verdict = Verdict::Future;
        result.message = u"it was written by a newer Tokenbench (schema %1); this version reads up to schema %2. "
                         "Update Tokenbench to open it; it is not changed meanwhile"_s.arg(version).arg(Workspace::SchemaVersion);
        return result;
    }
    result.verdict = Verdict::Supported;
    return result;
}
