#pragma once

#include <QString>
#include <QWidget>

class Authorizer;
class EnvironmentListModel;
class OperationFilter;
class OperationModel;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

// Swagger UI's list of operations for the workspace's saved requests: grouped by folder (tag),
// each with its method badge, path, summary, the scopes it needs and whether the current
// environment's token grants them; a filter box; "Try it" (double-click, Enter, the button or the
// context menu) asks for a composer tab with the request.
class OperationsBrowser : public QWidget
{
    Q_OBJECT

public:
    OperationsBrowser(EnvironmentListModel *workspace, Authorizer *authorizer, QWidget *parent = nullptr);

    // The environment whose token the marks judge.
    void setEnvironment(const QString &environmentId);
    OperationModel *model() const { return m_model; }
    OperationFilter *filter() const { return m_filter; }
    QTreeView *view() const { return m_view; }
    // The saved request of the selected row; empty when a group or nothing is selected.
    QString selectedRequestId() const;

public Q_SLOTS:
    void tryItSelected();

Q_SIGNALS:
    void tryItRequested(const QString &requestId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateHeldScopes();
    void onModelReset();
    void updateState();
    void showContextMenu(const QPoint &at);

    Authorizer *m_authorizer;
    QString m_environmentId;
    OperationModel *m_model;
    OperationFilter *m_filter;
    QLineEdit *m_filterBox;
    QTreeView *m_view;
    QLabel *m_empty;
    QLabel *m_count;
    QPushButton *m_tryIt;
};
