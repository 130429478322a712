#include "ScopePicker.h"

#include "demo/DemoScopes.h"
#include "scopes/ScopeModel.h"
#include "support/WidgetTestMain.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QStyledItemDelegate>
#include <QTest>
#include <QTreeView>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
ScopeCatalog demoCatalog()
{
    ScopeCatalog catalog;
    for (const auto &scope : DemoScopes::all())
        catalog.append(ScopeInfo::classify(scope.name, scope.description));
    return catalog;
}

QModelIndex findRow(const QAbstractItemModel *model, const QString &name, int column = 0)
{
    const QModelIndexList found = model->match(model->index(0, 0), ScopeModel::NameRole, name, 1, Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first().siblingAtColumn(column);
}

QStringList visibleScopes(const QTreeView *tree)
{
    QStringList names;
    const QAbstractItemModel *model = tree->model();
    for (int groupRow = 0; groupRow < model->rowCount(); ++groupRow) {
        const QModelIndex group = model->index(groupRow, 0);
        for (int row = 0; row < model->rowCount(group); ++row)
            names.append(model->index(row, 0, group).data(ScopeModel::NameRole).toString());
    }
    return names;
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(37, 37, 38));
    palette.setColor(QPalette::WindowText, QColor(220, 220, 220));
    palette.setColor(QPalette::Base, QColor(30, 30, 30));
    palette.setColor(QPalette::AlternateBase, QColor(45, 45, 45));
    palette.setColor(QPalette::Text, QColor(220, 220, 220));
    palette.setColor(QPalette::Button, QColor(50, 50, 52));
    palette.setColor(QPalette::ButtonText, QColor(220, 220, 220));
    return palette;
}
} // namespace

class TestScopePicker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void childWidgetsAreNamedAndAccessible();
    void demoCatalogShowsExpandedGroups();
    void filterHidesRows();
    void filterMatchesGroupTitle();
    void clickingCheckboxSelectsScope();
    void spaceTogglesCurrentScope();
    void spaceOnGroupTogglesWholeGroup();
    void groupButtonsActOnCurrentGroup();
    void globalButtonsActOnShownScopes();
    void addButtonAddsTypedScopes();
    void returnInAddFieldAddsWithoutAcceptingDialog();
    void invalidEntriesAreExplained();
    void privilegedScopesAreMarked();
    void notGrantedScopesAreHighlighted();
    void notReportedGrantIsSaid();
    void summaryCountsPrivilegedScopes();
    void tabOrder();

private:
    template<typename T>
    T *child(const char *name) const
    {
        auto *widget = m_picker->findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qFatal("no child %s", name);
        return widget;
    }
    QTreeView *tree() const { return child<QTreeView>("scopeTree"); }
    void clickCheckbox(const QModelIndex &index);

    std::unique_ptr<QWidget> m_window;
    ScopePicker *m_picker = nullptr;
    std::unique_ptr<QAbstractItemModelTester> m_sourceTester;
    std::unique_ptr<QAbstractItemModelTester> m_viewTester;
};

void TestScopePicker::init()
{
    m_window = std::make_unique<QWidget>();
    auto *layout = new QVBoxLayout(m_window.get());
    m_picker = new ScopePicker(m_window.get());
    layout->addWidget(m_picker);
    // Both the model and the filtering proxy the tree shows must keep their contracts throughout.
    m_sourceTester = std::make_unique<QAbstractItemModelTester>(m_picker->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_viewTester = std::make_unique<QAbstractItemModelTester>(tree()->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    m_picker->setCatalog(demoCatalog());
    m_window->resize(720, 520);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestScopePicker::cleanup()
{
    m_viewTester.reset();
    m_sourceTester.reset();
    m_window.reset();
    m_picker = nullptr;
}

void TestScopePicker::clickCheckbox(const QModelIndex &index)
{
    QTreeView *view = tree();
    view->scrollTo(index);
    QStyleOptionViewItem option;
    option.initFrom(view->viewport());
    option.rect = view->visualRect(index);
    option.features = QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::HasDisplay;
    option.text = index.data().toString();
    const QRect box = view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view);
    QVERIFY(box.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, box.center());
}

void TestScopePicker::childWidgetsAreNamedAndAccessible()
{
    const QList<QWidget *> widgets = {
        child<QLineEdit>("scopeFilter"),      tree(),
        child<QLineEdit>("scopeAddEdit"),     child<QPushButton>("scopeAddButton"),
        child<QPushButton>("scopeSelectAll"), child<QPushButton>("scopeSelectNone"),
        child<QPushButton>("scopeGroupSelectAll"), child<QPushButton>("scopeGroupSelectNone"),
        child<QLabel>("scopeSummary"),
    };
    for (QWidget *widget : widgets)
        QVERIFY2(!widget->accessibleName().isEmpty(), qPrintable(widget->objectName()));
    QCOMPARE(child<QLineEdit>("scopeFilter")->placeholderText(), u"Filter scopes"_s);
}

void TestScopePicker::demoCatalogShowsExpandedGroups()
{
    const QAbstractItemModel *model = tree()->model();
    QStringList groups;
    for (int row = 0; row < model->rowCount(); ++row) {
        groups.append(model->index(row, 0).data().toString());
        QVERIFY2(tree()->isExpanded(model->index(row, 0)), qPrintable(groups.last()));
    }
    QCOMPARE(groups, (QStringList{u"accounts"_s, u"trades"_s, u"customers"_s, u"transfers"_s, u"core.users"_s}));
    QCOMPARE(visibleScopes(tree()).size(), DemoScopes::all().size());
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"Scope"_s);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), u"Description"_s);
    QVERIFY(!tree()->isColumnHidden(1));
}

void TestScopePicker::filterHidesRows()
{
    auto *filter = child<QLineEdit>("scopeFilter");
    QTest::keyClicks(filter, u"trades"_s);
    QCOMPARE(visibleScopes(tree()), (QStringList{u"trades:read"_s, u"trades:execute"_s}));
    QCOMPARE(tree()->model()->rowCount(), 1);
    QVERIFY(tree()->isExpanded(tree()->model()->index(0, 0)));

    // By description, whatever the case.
    filter->clear();
    QTest::keyClicks(filter, u"BALANCES"_s);
    QCOMPARE(visibleScopes(tree()), QStringList{u"accounts:read"_s});
    QVERIFY(tree()->isExpanded(tree()->model()->index(0, 0)));

    filter->clear();
    QTest::keyClicks(filter, u"no such scope"_s);
    QCOMPARE(tree()->model()->rowCount(), 0);

    // Escape clears the filter and everything is back.
    filter->setFocus();
    QTest::keyClick(filter, Qt::Key_Escape);
    QVERIFY(filter->text().isEmpty());
    QCOMPARE(visibleScopes(tree()).size(), DemoScopes::all().size());
    // Hidden scopes keep their check state; the filter never selects anything.
    QVERIFY(m_picker->selectedScopes().isEmpty());
}

void TestScopePicker::filterMatchesGroupTitle()
{
    m_picker->setSelectedScopes({u"custom:thing"_s});
    QTest::keyClicks(child<QLineEdit>("scopeFilter"), u"not in the"_s);
    QCOMPARE(visibleScopes(tree()), QStringList{u"custom:thing"_s});
}

void TestScopePicker::clickingCheckboxSelectsScope()
{
    QSignalSpy changed(m_picker, &ScopePicker::selectionChanged);
    const QModelIndex index = findRow(tree()->model(), u"trades:execute"_s);
    QVERIFY(index.isValid());
    clickCheckbox(index);
    QCOMPARE(m_picker->selectedScopes(), QStringList{u"trades:execute"_s});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(index.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(index.parent().data(Qt::CheckStateRole).toInt(), int(Qt::PartiallyChecked));

    clickCheckbox(index);
    QVERIFY(m_picker->selectedScopes().isEmpty());
    QCOMPARE(changed.size(), 2);

    // The group's box checks all of its scopes.
    clickCheckbox(index.parent());
    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"trades:read"_s, u"trades:execute"_s}));
}

void TestScopePicker::spaceTogglesCurrentScope()
{
    QSignalSpy changed(m_picker, &ScopePicker::selectionChanged);
    QTreeView *view = tree();
    view->setFocus();
    // Current in the description column: Space still toggles the row's scope.
    view->setCurrentIndex(findRow(view->model(), u"customers:write"_s, 1));
    QTest::keyClick(view, Qt::Key_Space);
    QCOMPARE(m_picker->selectedScopes(), QStringList{u"customers:write"_s});
    QCOMPARE(changed.size(), 1);
    view->setCurrentIndex(findRow(view->model(), u"customers:write"_s, 0));
    QTest::keyClick(view, Qt::Key_Space);
    QVERIFY(m_picker->selectedScopes().isEmpty());
    QCOMPARE(changed.size(), 2);
}

void TestScopePicker::spaceOnGroupTogglesWholeGroup()
{
    QTreeView *view = tree();
    view->setFocus();
    view->setCurrentIndex(findRow(view->model(), u"accounts:read"_s).parent());
    QTest::keyClick(view, Qt::Key_Space);
    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"accounts:read"_s, u"accounts:execute"_s}));
    QTest::keyClick(view, Qt::Key_Space);
    QVERIFY(m_picker->selectedScopes().isEmpty());
}

void TestScopePicker::groupButtonsActOnCurrentGroup()
{
    auto *groupAll = child<QPushButton>("scopeGroupSelectAll");
    auto *groupNone = child<QPushButton>("scopeGroupSelectNone");
    // No current item: nothing to act on, and the buttons say so.
    QVERIFY(!groupAll->isEnabled());
    QVERIFY(!groupNone->isEnabled());

    tree()->setCurrentIndex(findRow(tree()->model(), u"customers:read"_s, 1));
    QVERIFY(groupAll->isEnabled());
    QVERIFY2(groupAll->text().contains(u"customers"_s), qPrintable(groupAll->text()));
    QTest::mouseClick(groupAll, Qt::LeftButton);
    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"customers:read"_s, u"customers:write"_s, u"customers:execute"_s}));

    m_picker->setSelectedScopes({u"customers:read"_s, u"trades:read"_s});
    QTest::mouseClick(groupNone, Qt::LeftButton);
    QCOMPARE(m_picker->selectedScopes(), QStringList{u"trades:read"_s});

    // Current on the group row itself.
    tree()->setCurrentIndex(findRow(tree()->model(), u"transfers:read"_s).parent());
    QVERIFY(groupAll->text().contains(u"transfers"_s));
    QTest::mouseClick(groupAll, Qt::LeftButton);
    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"trades:read"_s, u"transfers:read"_s, u"transfers:execute"_s}));
}

void TestScopePicker::globalButtonsActOnShownScopes()
{
    auto *all = child<QPushButton>("scopeSelectAll");
    auto *none = child<QPushButton>("scopeSelectNone");
    QSignalSpy changed(m_picker, &ScopePicker::selectionChanged);
    // Even with a current group, these act on everything.
    tree()->setCurrentIndex(findRow(tree()->model(), u"trades:read"_s));
    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(m_picker->selectedScopes().size(), DemoScopes::all().size());
    QCOMPARE(changed.size(), 1);
    QTest::mouseClick(none, Qt::LeftButton);
    QVERIFY(m_picker->selectedScopes().isEmpty());

    // Filtered: only what is shown, and the labels say so.
    QTest::keyClicks(child<QLineEdit>("scopeFilter"), u"read"_s);
    QCOMPARE(all->text(), u"Select all shown"_s);
    QTest::mouseClick(all, Qt::LeftButton);
    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"accounts:read"_s, u"trades:read"_s, u"customers:read"_s, u"transfers:read"_s}));
    child<QLineEdit>("scopeFilter")->clear();
    QCOMPARE(all->text(), u"Select all"_s);
}

void TestScopePicker::addButtonAddsTypedScopes()
{
    auto *edit = child<QLineEdit>("scopeAddEdit");
    auto *add = child<QPushButton>("scopeAddButton");
    QSignalSpy changed(m_picker, &ScopePicker::selectionChanged);
    QVERIFY(!add->isEnabled()); // nothing typed yet
    QTest::keyClicks(edit, u"orders:write  read:orders"_s);
    QVERIFY(add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);

    QCOMPARE(m_picker->selectedScopes(), (QStringList{u"orders:write"_s, u"read:orders"_s}));
    QVERIFY(edit->text().isEmpty());
    QVERIFY(!child<QLabel>("scopeRejected")->isVisible());
    QVERIFY(changed.size() >= 1);
    const QModelIndex added = findRow(tree()->model(), u"orders:write"_s);
    QVERIFY(added.isValid());
    QCOMPARE(added.parent().data().toString(), u"Not in the catalog"_s);
    QVERIFY(tree()->isExpanded(added.parent()));
    QCOMPARE(added.data(ScopeModel::KnownRole).toBool(), false);
}

void TestScopePicker::returnInAddFieldAddsWithoutAcceptingDialog()
{
    // In the Authorize dialog Return must add the scope, not press the default button.
    QDialog dialog;
    auto *layout = new QVBoxLayout(&dialog);
    auto *picker = new ScopePicker(&dialog);
    picker->setCatalog(demoCatalog());
    layout->addWidget(picker);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    layout->addWidget(buttons);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    auto *edit = picker->findChild<QLineEdit *>(u"scopeAddEdit"_s);
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    edit->setFocus();
    QTest::keyClicks(edit, u"custom:scope"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(picker->selectedScopes(), QStringList{u"custom:scope"_s});
    QCOMPARE(accepted.size(), 0);
    QVERIFY(dialog.isVisible());

    // The same for the filter: Return moves to the list instead.
    auto *filter = picker->findChild<QLineEdit *>(u"scopeFilter"_s);
    filter->setFocus();
    QTest::keyClicks(filter, u"place"_s);
    QTest::keyClick(filter, Qt::Key_Return);
    QCOMPARE(accepted.size(), 0);
    auto *view = picker->findChild<QTreeView *>(u"scopeTree"_s);
    QCOMPARE(view->currentIndex().data(ScopeModel::NameRole).toString(), u"trades:execute"_s);
    QTest::keyClick(view, Qt::Key_Space);
    QCOMPARE(picker->selectedScopes(), (QStringList{u"trades:execute"_s, u"custom:scope"_s}));
}

void TestScopePicker::invalidEntriesAreExplained()
{
    auto *edit = child<QLineEdit>("scopeAddEdit");
    auto *rejected = child<QLabel>("scopeRejected");
    QTest::keyClicks(edit, u"good:one bad\"quote back\\slash"_s);
    QTest::mouseClick(child<QPushButton>("scopeAddButton"), Qt::LeftButton);

    QCOMPARE(m_picker->selectedScopes(), QStringList{u"good:one"_s});
    QVERIFY(rejected->isVisible());
    QVERIFY2(rejected->text().contains(u"bad\"quote"_s), qPrintable(rejected->text()));
    QVERIFY(rejected->text().contains(u"back\\slash"_s));
    QVERIFY(!rejected->text().contains(u"good:one"_s));
    // The refused entries stay in the field to be corrected.
    QCOMPARE(edit->text(), u"bad\"quote back\\slash"_s);

    edit->clear();
    QTest::keyClicks(edit, u"fixed:one"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(!rejected->isVisible());
}

void TestScopePicker::privilegedScopesAreMarked()
{
    const QAbstractItemModel *model = tree()->model();
    const QModelIndex execute = findRow(model, u"trades:execute"_s);
    const QModelIndex read = findRow(model, u"trades:read"_s);
    const QModelIndex onBehalf = findRow(model, u"core.users:act-on-behalf-of"_s);

    // The model says so …
    QVERIFY(m_picker->model()->match(m_picker->model()->index(0, 0), ScopeModel::NameRole, u"trades:execute"_s, 1,
                                     Qt::MatchExactly | Qt::MatchRecursive)
                .first()
                .data(ScopeModel::PrivilegedRole)
                .toBool());
    // … and the view shows it: bold name and a badge, none for read scopes.
    QCOMPARE(execute.data(Qt::FontRole).value<QFont>().bold(), true);
    QCOMPARE(execute.data(ScopePicker::BadgeRole).toString(), u"execute"_s);
    QCOMPARE(findRow(model, u"customers:write"_s).data(ScopePicker::BadgeRole).toString(), u"write"_s);
    QCOMPARE(onBehalf.data(ScopePicker::BadgeRole).toString(), u"on behalf of user"_s);
    QVERIFY(!read.data(Qt::FontRole).value<QFont>().bold());
    QVERIFY(read.data(ScopePicker::BadgeRole).toString().isEmpty());
    QVERIFY(execute.data(Qt::AccessibleTextRole).toString().contains(u"execute"_s));
    QVERIFY(onBehalf.data(Qt::ToolTipRole).toString().contains(u"on behalf of a user"_s));

    // The delegate makes room for the badge.
    QStyleOptionViewItem option;
    option.initFrom(tree());
    option.font = execute.data(Qt::FontRole).value<QFont>();
    QStyledItemDelegate plain;
    QVERIFY(tree()->itemDelegateForColumn(0)->sizeHint(option, execute).width() > plain.sizeHint(option, execute).width());

    // The badge is painted: the name cell of a badged row differs from the same row without it.
    const QRect cell = tree()->visualRect(execute);
    const QImage withBadge = tree()->viewport()->grab(cell).toImage();
    QVERIFY(!withBadge.isNull());
    const QRect badgeArea(cell.left() + QFontMetrics(option.font).horizontalAdvance(u"trades:execute"_s) + 30, cell.top(),
                          40, cell.height());
    bool painted = false;
    const QImage area = tree()->viewport()->grab(badgeArea).toImage();
    const QRgb first = area.pixel(0, 0);
    for (int y = 0; y < area.height() && !painted; ++y)
        for (int x = 0; x < area.width() && !painted; ++x)
            painted = area.pixel(x, y) != first;
    QVERIFY2(painted, "nothing drawn after the name of a privileged scope");
}

void TestScopePicker::notGrantedScopesAreHighlighted()
{
    m_picker->setSelectedScopes({u"trades:read"_s, u"trades:execute"_s});
    m_picker->setGrantResult(m_picker->selectedScopes(), {u"trades:read"_s}, true);
    const QAbstractItemModel *model = tree()->model();
    const QModelIndex refused = findRow(model, u"trades:execute"_s, 1);
    const QModelIndex granted = findRow(model, u"trades:read"_s, 1);

    QCOMPARE(m_picker->model()
                 ->match(m_picker->model()->index(0, 0), ScopeModel::NameRole, u"trades:execute"_s, 1, Qt::MatchExactly | Qt::MatchRecursive)
                 .first()
                 .data(ScopeModel::GrantStateRole)
                 .toInt(),
             int(ScopeModel::GrantState::NotGranted));
    QVERIFY2(refused.data().toString().contains(u"not granted"_s), qPrintable(refused.data().toString()));
    QVERIFY(refused.data().toString().contains(u"Place trades"_s));
    QVERIFY(granted.data().toString().contains(u"granted"_s));
    QVERIFY(!granted.data().toString().contains(u"not granted"_s));
    // Coloured differently from ordinary text, in the name column too.
    const QColor text = tree()->palette().color(QPalette::Text);
    QVERIFY(refused.data(Qt::ForegroundRole).value<QColor>().isValid());
    QVERIFY(refused.data(Qt::ForegroundRole).value<QColor>() != text);
    QVERIFY(refused.siblingAtColumn(0).data(Qt::ForegroundRole).value<QColor>().isValid());
    QVERIFY(!granted.data(Qt::ForegroundRole).isValid());
    QVERIFY(child<QLabel>("scopeSummary")->text().contains(u"1 requested scope not granted"_s));

    // A dark palette gets a light warning colour, readable on its dark base.
    m_window->setPalette(darkPalette());
    const QColor dark = refused.data(Qt::ForegroundRole).value<QColor>();
    QVERIFY2(dark.lightness() > 128, qPrintable(dark.name()));

    m_picker->clearGrantResult();
    QCOMPARE(refused.data().toString(), u"Place trades"_s);
    QVERIFY(!refused.data(Qt::ForegroundRole).isValid());
    QVERIFY(!child<QLabel>("scopeSummary")->text().contains(u"not granted"_s));
}

void TestScopePicker::notReportedGrantIsSaid()
{
    m_picker->setSelectedScopes({u"trades:read"_s});
    m_picker->setGrantResult({u"trades:read"_s}, {}, false);
    const QString text = findRow(tree()->model(), u"trades:read"_s, 1).data().toString();
    QVERIFY2(text.contains(u"not reported"_s), qPrintable(text));
    QVERIFY(!findRow(tree()->model(), u"trades:read"_s, 1).data(Qt::ForegroundRole).isValid());
}

void TestScopePicker::summaryCountsPrivilegedScopes()
{
    auto *summary = child<QLabel>("scopeSummary");
    QVERIFY(summary->text().startsWith(u"No scopes selected"_s));
    m_picker->setSelectedScopes({u"trades:read"_s});
    QCOMPARE(summary->text(), u"1 scope selected"_s);
    m_picker->setSelectedScopes({u"trades:read"_s, u"trades:execute"_s, u"accounts:read"_s});
    QCOMPARE(summary->text(), u"3 scopes selected, 1 changes data"_s);
    m_picker->setSelectedScopes({u"trades:execute"_s, u"customers:write"_s, u"core.users:act-on-behalf-of"_s});
    QCOMPARE(summary->text(), u"3 scopes selected, 2 change data, 1 acts on behalf of a user"_s);
    // Clicking updates it too.
    clickCheckbox(findRow(tree()->model(), u"trades:execute"_s));
    QCOMPARE(summary->text(), u"2 scopes selected, 1 changes data, 1 acts on behalf of a user"_s);
}

void TestScopePicker::tabOrder()
{
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    tree()->setCurrentIndex(findRow(tree()->model(), u"trades:read"_s)); // enables the group buttons
    auto *filter = child<QLineEdit>("scopeFilter");
    filter->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(filter->hasFocus());
    const QList<QWidget *> expected = {tree(),
                                       child<QPushButton>("scopeSelectAll"),
                                       child<QPushButton>("scopeSelectNone"),
                                       child<QPushButton>("scopeGroupSelectAll"),
                                       child<QPushButton>("scopeGroupSelectNone"),
                                       child<QLineEdit>("scopeAddEdit")};
    for (QWidget *next : expected) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QVERIFY2(next->hasFocus(), qPrintable(next->objectName() + u" expected, focus on "_s
                                               + (QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : u"nothing"_s)));
    }
    // Add takes focus once there is something to add.
    QTest::keyClicks(child<QLineEdit>("scopeAddEdit"), u"x:y"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QVERIFY(child<QPushButton>("scopeAddButton")->hasFocus());
}

TOKENBENCH_WIDGET_TEST_MAIN(TestScopePicker)
#include "tst_scopepicker.moc"
