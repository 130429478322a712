#pragma once

#include "EnvironmentSecrets.h"
#include "workspace/Environment.h"

#include <QList>
#include <QWidget>

class EnvironmentProblems;
class QLineEdit;
class QPalette;

// One page (tab) of the environment editor, for one concern. The editor fills every page from
// the Environment, asks each for its part of the Environment back, validates page by page, and
// gathers the keychain writes the pages' secret fields need on OK.
class EnvironmentPage : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    // Fills the page; the built-in Demo's page shows what the Demo provides, read-only.
    virtual void load(const Environment &environment) = 0;
    // Writes what the page edits into environment (the Demo's provided fields stay as loaded).
    virtual void store(Environment &environment) const = 0;
    // Shows each field's message and reports what is wrong or missing. current is what the
    // whole form says now (one page's rules may depend on another's choice, e.g. the grant).
    virtual void check(const Environment &current, EnvironmentProblems &problems) = 0;
    // The page's widgets in reading order, for the dialog's keyboard order.
    virtual QList<QWidget *> focusOrder() const = 0;

    // The secrets the loaded environment may hold in the keychain, asked for when it opens.
    virtual QStringList secretNames() const { return {}; }
    // What OK writes to or removes from the keychain for this page, given the form's state.
    virtual QList<EnvironmentSecrets::Op> secretOps(const Environment &current) const
    {
        Q_UNUSED(current);
        return {};
    }
    // Cancel: what was typed into secret fields is dropped.
    virtual void clearTypedSecrets() {}
    // Shows where each secret stands after a keychain answer or a load.
    virtual void refreshSecrets() {}
    // Repaints what depends on the palette (read-only fields).
    virtual void applyTones(const QPalette &base) { Q_UNUSED(base); }

Q_SIGNALS:
    // Something the form's validity may depend on changed.
    void edited();

protected:
    // Fusion draws a read-only line edit like an editable one; the window colour as its
    // background tells them apart in any palette.
    static void toneReadOnly(QLineEdit *edit, const QPalette &base);
};
