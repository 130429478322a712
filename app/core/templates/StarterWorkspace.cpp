#include "StarterWorkspace.h"

#include "templates/TemplateApplication.h"
#include "templates/TemplateCatalog.h"

using namespace Qt::StringLiterals;

Workspace StarterWorkspace::create()
{
    Workspace workspace = Workspace::createDefault();
    // The build's template test reads demo.json, so a shipped binary always finds it; the Demo
    // environment alone is still a working start if it ever did not.
    const ApiTemplate *demo = TemplateCatalog::builtIn().find(u"demo"_s);
    if (!demo)
        return workspace;
    // Relative paths: the built-in Demo environment's API base URL (this session's port) resolves
    // them when they are sent. The origin (template:demo, the request's name) is what applying the
    // template again updates in place instead of adding copies.
    for (const SavedRequest &request : TemplateApplication::requests(*demo))
        workspace.upsertRequest(request);
    return workspace;
}
