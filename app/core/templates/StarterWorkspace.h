#pragma once

#include "workspace/Workspace.h"

// The workspace a first start writes when there is none: the built-in Demo environment and the
// Demo template's example requests (resources/templates/demo.json, through TemplateApplication),
// so the operations browser has operations to try and the scope matrix a plan from the start.
// Only a new workspace gets them: an existing one is never changed, and a request the user
// deleted is never added back.
class StarterWorkspace
{
public:
    static Workspace create();
};
