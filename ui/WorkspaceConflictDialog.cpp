#include "WorkspaceConflictDialog.h"

#include "Fonts.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
// The stored form, as the workspace file holds it: it never holds a secret.
QString shown(const std::optional<Environment> &environment, const std::optional<SavedRequest> &request)
{
    QJsonObject json;
    if (environment) {
        json = environment->toJson();
    } else if (request) {
        json = {{u"name"_s, request->name}, {u"request"_s, request->draft.toJson()}};
        if (!request->folder.isEmpty())
            json.insert(u"folder"_s, request->folder);
    } else {
        return QCoreApplication::translate("WorkspaceConflictDialog", "(deleted)");
    }
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented));
}
} // namespace

WorkspaceConflictDialog::WorkspaceConflictDialog(const WorkspaceConflict &conflict, const QString &copyName, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"workspaceConflictDialog"_s);
    setWindowTitle(tr("Changed in two places"));
    auto *what = new QLabel(conflict.description() + u' ' + tr("Which version should the workspace keep?"));
    what->setObjectName(u"conflictDescription"_s);
    what->setWordWrap(true);

    const auto pane = [](const QString &name, const QString &text) {
        auto *edit = new QPlainTextEdit(text);
        edit->setObjectName(name);
        edit->setReadOnly(true);
        edit->setFont(Fonts::monospace());
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
        return edit;
    };
    auto *grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("<b>In the workspace file</b> (saved by another program)")), 0, 0);
    grid->addWidget(new QLabel(tr("<b>In this window</b>")), 0, 1);
    grid->addWidget(pane(u"diskVersion"_s, shown(conflict.diskEnvironment, conflict.diskRequest)), 1, 0);
    grid->addWidget(pane(u"mineVersion"_s, shown(conflict.mineEnvironment, conflict.mineRequest)), 1, 1);

    auto *buttons = new QDialogButtonBox;
    const auto add = [&](const QString &text, const QString &name, WorkspaceConflict::Choice choice) {
        QPushButton *button = buttons->addButton(text, QDialogButtonBox::ActionRole);
        button->setObjectName(name);
        button->setAutoDefault(false);
        connect(button, &QPushButton::clicked, this, [this, choice] {
            m_choice = choice;
            accept();
        });
        return button;
    };
    add(conflict.diskDeleted() ? tr("Keep it deleted") : tr("Keep the file's version"), u"keepDisk"_s, WorkspaceConflict::Choice::KeepDisk);
    add(conflict.mineDeleted() ? tr("Delete it") : tr("Keep mine"), u"keepMine"_s, WorkspaceConflict::Choice::KeepMine);
    QPushButton *both = add(tr("Keep both (mine as \"%1\")").arg(copyName), u"keepBoth"_s, WorkspaceConflict::Choice::KeepBoth);
    // Nothing to keep twice when one side is a deletion.
    both->setVisible(!conflict.mineDeleted() && !conflict.diskDeleted());

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addLayout(grid, 1);
    layout->addWidget(buttons);
    resize(860, 520);
}
