#include "EnvironmentPage.h"

#include <QLineEdit>
#include <QPalette>

void EnvironmentPage::toneReadOnly(QLineEdit *edit, const QPalette &base)
{
    if (edit->isReadOnly()) {
        QPalette readOnly = edit->palette();
        readOnly.setColor(QPalette::Base, base.color(QPalette::Window));
        edit->setPalette(readOnly);
    } else {
        edit->setPalette(QPalette());
    }
}
