#pragma once

#include "MatrixPlanLoader.h"

#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

// Where the scope matrix's plan comes from: the workspace's saved requests, a plan file or an
// OpenAPI document (chosen in a window-modal file dialog), the file's name, and Reload. Says
// what was chosen; reading the plan is the window's (MatrixPlanLoader).
class MatrixPlanSourcePicker : public QWidget
{
    Q_OBJECT

public:
    explicit MatrixPlanSourcePicker(QWidget *parent = nullptr);

    MatrixPlanLoader::Source source() const { return m_source; }
    QString path() const { return m_path; }
    // What the picker shows and says, without a dialog (a file chosen elsewhere).
    void setSource(MatrixPlanLoader::Source source, const QString &path);
    // Reload says the plan changed since it was read.
    void setStale(bool stale);

Q_SIGNALS:
    // A source was chosen (a file picked), or Reload was clicked: read the plan again.
    void reloadRequested();

private:
    void onChosen(int comboIndex);
    void chooseFile(MatrixPlanLoader::Source source);
    void showSource();

    MatrixPlanLoader::Source m_source = MatrixPlanLoader::Source::Workspace;
    QString m_path;
    QComboBox *m_box;
    QLabel *m_file;
    QPushButton *m_reload;
};
