#include "support/ScriptedHttpServer.h"
