#include "MatrixPlanSourcePicker.h"

#include "PlainToolTips.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStandardPaths>

namespace {
enum SourceItem { WorkspaceItem, PlanFileItem, OpenApiItem };

int itemOf(MatrixPlanLoader::Source source)
{
    switch (source) {
    case MatrixPlanLoader::Source::Workspace: return WorkspaceItem;
    case MatrixPlanLoader::Source::PlanFile: return PlanFileItem;
    case MatrixPlanLoader::Source::OpenApi: return OpenApiItem;
    }
    return WorkspaceItem;
}
} // namespace

MatrixPlanSourcePicker::MatrixPlanSourcePicker(QWidget *parent)
    : QWidget(parent)
{
    m_box = new QComboBox(this);
    m_box->setObjectName(QStringLiteral("matrixPlanSource"));
    m_box->setAccessibleName(tr("Plan source"));
    m_box->addItem(tr("Saved requests of this workspace"));
    m_box->addItem(tr("Plan file…"));
    m_box->addItem(tr("OpenAPI document…"));
    m_file = new QLabel(this);
    m_file->setObjectName(QStringLiteral("matrixPlanFile"));
    m_file->setTextFormat(Qt::PlainText);
    m_reload = new QPushButton(tr("Reload"), this);
    m_reload->setObjectName(QStringLiteral("matrixReload"));
    m_reload->setToolTip(tr("Read the plan again (the saved requests as they are now, or the file)"));
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_box);
    row->addWidget(m_file, 1);
    row->addWidget(m_reload);
    connect(m_reload, &QPushButton::clicked, this, &MatrixPlanSourcePicker::reloadRequested);
    connect(m_box, &QComboBox::activated, this, &MatrixPlanSourcePicker::onChosen);
}

void MatrixPlanSourcePicker::setSource(MatrixPlanLoader::Source source, const QString &path)
{
    m_source = source;
    m_path = source == MatrixPlanLoader::Source::Workspace ? QString() : path;
    showSource();
}

void MatrixPlanSourcePicker::setStale(bool stale)
{
    m_reload->setText(stale ? tr("Reload (changed)") : tr("Reload"));
}

void MatrixPlanSourcePicker::showSource()
{
    {
        const QSignalBlocker quiet(m_box);
        m_box->setCurrentIndex(itemOf(m_source));
    }
    m_file->setText(m_path.isEmpty() ? QString() : QFileInfo(m_path).fileName());
    m_file->setToolTip(PlainToolTips::of(m_path));
}

void MatrixPlanSourcePicker::onChosen(int comboIndex)
{
    if (comboIndex == WorkspaceItem) {
        setSource(MatrixPlanLoader::Source::Workspace, {});
        Q_EMIT reloadRequested();
        return;
    }
    chooseFile(comboIndex == PlanFileItem ? MatrixPlanLoader::Source::PlanFile : MatrixPlanLoader::Source::OpenApi);
}

void MatrixPlanSourcePicker::chooseFile(MatrixPlanLoader::Source source)
{
    const bool plan = source == MatrixPlanLoader::Source::PlanFile;
    auto *dialog = new QFileDialog(window(), plan ? tr("Open Plan File") : tr("Open OpenAPI Document"),
                                   m_path.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
                                                    : QFileInfo(m_path).absolutePath(),
                                   tr("Plans and API documents (*.json *.yaml *.yml);;All files (*)"));
    dialog->setObjectName(QStringLiteral("matrixPlanDialog"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, source](const QString &path) {
        setSource(source, path);
        Q_EMIT reloadRequested();
    });
    // Cancelled: the source shown is still the one in use.
    connect(dialog, &QDialog::rejected, this, &MatrixPlanSourcePicker::showSource);
    dialog->open();
}
