#pragma once

#include "workspace/Environment.h"

#include <QString>
#include <QUrl>

// A request that may change something (anything but GET, HEAD, OPTIONS) to a production
// environment is sent only after the user confirmed it: a dialog in the GUI, --yes in the CLI.
class ProductionGuard
{
public:
    static bool isSafeMethod(const QString &method);
    static bool needsConfirmation(const Environment &environment, const QString &method);
    // Names the method, the URL and the environment, so the confirmation is about this request.
    static QString confirmationText(const Environment &environment, const QString &method, const QUrl &url);
};
