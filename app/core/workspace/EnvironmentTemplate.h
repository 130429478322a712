#pragma once

#include "workspace/Environment.h"

#include <QString>

// Where a new environment starts from. Nothing of another profile is copied unless the user picks
// that: a context header such as the Demo's X-On-Behalf-Of would otherwise go to a real vendor.
class EnvironmentTemplate
{
public:
    enum class Kind {
        Empty, // nothing injected: no URLs, client, scopes, headers or variables
        Demo,  // the built-in Demo API's profile, to try things against this computer
        Api,   // an API template of resources/templates (templates/TemplateApplication makes it from the values asked)
    };

    // resolvedDemo: the Demo environment with this session's URLs (Authorizer::resolved); only
    // read for Kind::Demo. Kind::Api gives an empty profile: its environment needs the values the
    // template asks for (TemplateApplication).
    static Environment create(Kind kind, const QString &name, Tier tier, const Environment &resolvedDemo = {});
    static QString label(Kind kind);
};
