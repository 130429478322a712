#pragma once

#include <QFont>

// Fonts the views share.
class Fonts
{
public:
    // A fixed-pitch font for JSON, headers and previews, even where the platform theme answers the
    // FixedFont query with the proportional UI font (offscreen, minimal X sessions).
    static QFont monospace();
};
