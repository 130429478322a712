#include "request/ScopeMatch.h"

using namespace Qt::StringLiterals;

QString ScopeMatchName::of(ScopeMatch match)
{
    return match == ScopeMatch::Exact ? u"exact"_s : u"at-least"_s;
}

bool ScopeMatchName::parse(const QString &name, ScopeMatch *match)
{
    const QString key = name.trimmed().toLower();
    if (key == u"exact"_s) {
        *match = ScopeMatch::Exact;
        return true;
    }
    if (key == u"at-least"_s || key == u"at_least"_s || key == u"atleast"_s) {
        *match = ScopeMatch::AtLeast;
        return true;
    }
    return false;
}
