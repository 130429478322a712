#pragma once

#include "matrix/MatrixReport.h"

#include <QObject>
#include <QString>

class QWidget;

// Export ▸ JUnit / HTML / JSON: the run shown, as a report file. The file is chosen in a
// window-modal dialog; the report is rendered and written on a worker thread (an HTML report of
// thousands of cells with their evidence is megabytes), atomically (QSaveFile).
class MatrixReportExporter : public QObject
{
    Q_OBJECT

public:
    enum class Format { JUnit, Html, Json };

    explicit MatrixReportExporter(QWidget *window);

    void chooseFile(Format format, const MatrixReport &report);
    void exportTo(Format format, const MatrixReport &report, const QString &path);
    bool isWriting() const { return m_writing > 0; }

    static QByteArray render(Format format, const MatrixReport &report);
    static QString suggestedName(Format format);

Q_SIGNALS:
    void exported(const QString &path);
    void failed(const QString &path, const QString &error);

private:
    QWidget *m_window;
    int m_writing = 0;
};
