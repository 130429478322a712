#include "MatrixReportExporter.h"

#include "matrix/MatrixHtmlWriter.h"
#include "matrix/MatrixJUnitWriter.h"

#include <QDir>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QPromise>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThreadPool>

#include <memory>

MatrixReportExporter::MatrixReportExporter(QWidget *window)
    : QObject(window)
    , m_window(window)
{
}

QByteArray MatrixReportExporter::render(Format format, const MatrixReport &report)
{
    switch (format) {
    case Format::JUnit:
        return MatrixJUnitWriter::write(report);
    case Format::Html:
        return MatrixHtmlWriter::write(report);
    case Format::Json:
        return QJsonDocument(report.toJson()).toJson(QJsonDocument::Indented);
    }
    return {};
}

QString MatrixReportExporter::suggestedName(Format format)
{
    switch (format) {
    case Format::JUnit:
        return QStringLiteral("scope-matrix.junit.xml");
    case Format::Html:
        return QStringLiteral("scope-matrix.html");
    case Format::Json:
        return QStringLiteral("scope-matrix.json");
    }
    return {};
}

void MatrixReportExporter::chooseFile(Format format, const MatrixReport &report)
{
    static const QStringList filters = {tr("JUnit XML (*.xml)"), tr("HTML (*.html *.htm)"), tr("JSON (*.json)")};
    static const QStringList titles = {tr("Export JUnit Report"), tr("Export HTML Report"), tr("Export JSON Report")};
    const int which = int(format);
    auto *dialog = new QFileDialog(m_window, titles.at(which),
                                   QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(suggestedName(format)),
                                   filters.at(which) + QStringLiteral(";;") + tr("All files (*)"));
    dialog->setObjectName(QStringLiteral("matrixExportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this, format, report](const QString &path) { exportTo(format, report, path); });
    dialog->open();
}

void MatrixReportExporter::exportTo(Format format, const MatrixReport &report, const QString &path)
{
    ++m_writing;
    auto promise = std::make_shared<QPromise<QString>>();
    promise->start();
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        --m_writing;
        const QString error = watcher->future().resultCount() > 0 ? watcher->future().result() : tr("the report was not written");
        if (error.isEmpty())
            Q_EMIT exported(path);
        else
            Q_EMIT failed(path, error);
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start([promise, format, report, path] {
        QSaveFile file(path);
        QString error;
        if (!file.open(QIODevice::WriteOnly))
            error = file.errorString();
        else if (file.write(render(format, report)) < 0 || !file.commit())
            error = file.errorString();
        promise->addResult(error);
        promise->finish();
    });
}
