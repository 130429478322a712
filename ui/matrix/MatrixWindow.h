#pragma once

#include "MatrixPlanLoader.h"
#include "MatrixReportExporter.h"
#include "matrix/MatrixTokenPlan.h"

#include <QList>
#include <QMainWindow>

class Authorizer;
class EnvironmentListModel;
class HistoryModel;
class HistoryStore;
class MatrixAuthorizationPrompt;
class MatrixCellDetail;
class MatrixFailureFilter;
class MatrixLegend;
class MatrixModel;
class MatrixPlanSourcePicker;
class MatrixRunController;
class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QMessageBox;
class QProgressBar;
class QSpinBox;
class QTableView;
class QToolButton;
class TierBanner;
struct Environment;
struct MatrixCellResult;

// QA ▸ Scope Matrix: proves that every request of a plan refuses a token lacking its scopes.
// The plan comes from the workspace's saved requests (default), a plan file or an OpenAPI
// document, read on a worker thread; the environment is one of the workspace's. Run sends every
// cell through a MatrixRunner (asynchronous: the window never waits), with tokens from the same
// Authorizer as the rest of the window; a production environment is asked about first. The table
// colours each cell by verdict; a click shows its exchange; Stop, Re-run failed and Export follow.
// An environment whose grant needs a person gets a MatrixAuthorizationPrompt per scope set's token.
class MatrixWindow : public QMainWindow
{
    Q_OBJECT

public:
    MatrixWindow(EnvironmentListModel *environments, Authorizer *authorizer, QWidget *parent = nullptr);
    ~MatrixWindow() override;

    // The environment the matrix runs against (the main window's current one when opened).
    void setEnvironment(const QString &environmentId);
    QString environmentId() const { return m_environmentId; }
    // Where runs record their exchanges (as the composer's sends are), and the History dock's
    // model that shows them as they are written; without it, runs are not recorded.
    void setHistory(HistoryStore *store, HistoryModel *model);
    // A plan from a file, without the file dialog (what choosing one in the dialog does).
    void usePlanFile(MatrixPlanLoader::Source source, const QString &path);

    MatrixModel *model() const { return m_model; }
    MatrixFailureFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }
    MatrixCellDetail *detail() const { return m_detail; }
    MatrixLegend *legend() const { return m_legend; }
    MatrixReportExporter *exporter() const { return m_exporter; }
    MatrixAuthorizationPrompt *authorizationPrompt() const { return m_authorizationPrompt; }
    bool isRunning() const;
    bool isLoading() const { return m_loader->isLoading(); }
    QString summaryText() const;
    QString progressText() const;

public Q_SLOTS:
    void run();
    void stop();
    void rerunFailed();
    void reloadPlan();

Q_SIGNALS:
    void planLoaded();
    void runFinished(bool stopped);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onPlanLoaded(const MatrixPlanLoader::Loaded &loaded);
    void onWorkspaceChanged();
    // Asks first when the environment is production; then start(cells).
    void confirmAndStart(const QList<int> &cellIndexes);
    void start(const QList<int> &cellIndexes, bool allowProduction);
    void onCellFinished(int cellIndex, const MatrixCellResult &result);
    void onProgress(int done, int total);
    void onFinished(bool stopped, qint64 tookMs);
    void showCell(const QModelIndex &viewIndex);
    void exportReport(MatrixReportExporter::Format format);
    void updateBanner();
    void updateState();
    void updateSummary();
    const Environment *environment() const;

    EnvironmentListModel *m_environments;
    Authorizer *m_authorizer;
    QString m_environmentId;
    MatrixPlanLoader *m_loader;
    QStringList m_notes;
    bool m_planStale = false;
    MatrixModel *m_model;
    MatrixFailureFilter *m_filter;
    MatrixReportExporter *m_exporter;

    MatrixRunController *m_run;
    MatrixAuthorizationPrompt *m_authorizationPrompt;
    MatrixTokenPlan m_tokenPlan; // the tokens of the run going or last run, for its prompts
    QMessageBox *m_productionQuestion = nullptr; // open while production is being asked about

    TierBanner *m_banner;
    MatrixPlanSourcePicker *m_planSource;
    QComboBox *m_environmentBox;
    QCheckBox *m_readOnly;
    QSpinBox *m_concurrency;
    QCheckBox *m_onlyFailures;
    QAction *m_runAction;
    QAction *m_stopAction;
    QAction *m_rerunAction;
    QToolButton *m_exportButton;
    QProgressBar *m_progress;
    QLabel *m_timeLeft;
    QTableView *m_view;
    MatrixCellDetail *m_detail;
    MatrixLegend *m_legend;
    QLabel *m_summary;
    QLabel *m_notesLabel;
};
