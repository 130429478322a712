#pragma once

#include <QIcon>

// The application icon, from the PNGs resources/icons/generate-icons.sh makes of the SVG master,
// compiled into the program (:/icons/): the window icon where the platform takes it from the
// program (Windows, X11 without a desktop entry) and the About dialog's.
struct AppIcon
{
    static QIcon icon();
};
