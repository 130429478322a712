#pragma once

#include "oauth/GrantInteraction.h"

#include <QString>

// What the CLI prints on stderr when the device grant needs the person (RFC 8628 §3.3): the user
// code, the verification URI to type it at, the complete URI that carries it, and until when.
// Never the device code, which is not in a GrantInteraction.
class DeviceCodePrompt
{
public:
    static QString text(const GrantInteraction &interaction);
};
