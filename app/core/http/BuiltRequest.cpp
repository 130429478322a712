#include "http/BuiltRequest.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

QStringList BuiltRequest::allProblems() const
{
    QStringList out = problems;
    if (!unresolved.isEmpty()) {
        QStringList names;
        for (const QString &name : unresolved)
            names.append(u"{{"_s + name + u"}}"_s);
        out.append(QCoreApplication::translate("BuiltRequest", "no variable answers %1; define it in the environment or for this request")
                       .arg(names.join(u", "_s)));
    }
    return out;
}
