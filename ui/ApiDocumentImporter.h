#pragma once

#include "contract/ImportPlan.h"
#include "contract/WorkspaceImport.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class EnvironmentListModel;
class ImportPreviewDialog;
class QWidget;

// Environment ▸ Import API Document…: the file chosen, read and parsed on a worker thread
// (a 2 MB document never stalls the window), then the preview; nothing changes before the
// user clicks Import there. One document at a time.
class ApiDocumentImporter : public QObject
{
    Q_OBJECT

public:
    ApiDocumentImporter(EnvironmentListModel *workspace, QWidget *window);

    bool isReading() const { return m_reading; }

public Q_SLOTS:
    // Asks for the file (a window-modal file dialog), then imports it.
    void chooseFile();
    // Reads and parses the file off the UI thread, then opens the preview (or says why not).
    void importFile(const QString &path);

Q_SIGNALS:
    // For the status bar: reading, refused, imported.
    void message(const QString &text);
    // After Import: the names of the environments it added, in the document's order.
    void environmentsAdded(const QStringList &names);
    // The preview is open (the dialog), or the document was refused (nullptr).
    void previewReady(ImportPreviewDialog *dialog);

private:
    struct Parsed
    {
        std::optional<ImportPlan> plan;
        ImportOutcome preview;
        QString error;
        quint64 workspaceGeneration = 0;
    };
    void showResult(const QString &path, const Parsed &parsed);

    EnvironmentListModel *m_workspace;
    QWidget *m_window;
    QPointer<ImportPreviewDialog> m_preview;
    bool m_reading = false;
    quint64 m_generation = 0; // counts the workspace's changes: a preview made before one is made again
};
